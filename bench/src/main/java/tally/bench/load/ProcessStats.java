package tally.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and memory of another process, read from /proc (Linux only). */
final class ProcessStats {
    /** USER_HZ: the unit of utime/stime in /proc/<pid>/stat; 100 on every mainstream Linux build. */
    private static final double CLOCK_TICKS = 100.0;

    private ProcessStats() {}

    /** User + system CPU seconds of the process (its threads included, its exited children not). */
    static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // The command name (field 2) may contain spaces; the fields after it start behind its closing parenthesis.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long utime = Long.parseLong(f[11]);
        long stime = Long.parseLong(f[12]);
        return (utime + stime) / CLOCK_TICKS;
    }

    /** Peak resident set size in bytes (VmHWM). */
    static long peakRssBytes(long pid) throws IOException {
        return statusKb(pid, "VmHWM:") * 1024;
    }

    static long rssBytes(long pid) throws IOException {
        return statusKb(pid, "VmRSS:") * 1024;
    }

    private static long statusKb(long pid, String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(key)) return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
        }
        throw new IOException(key + " missing for pid " + pid);
    }
}
