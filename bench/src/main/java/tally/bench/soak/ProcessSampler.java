package tally.bench.soak;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Every 10 s: RSS, open files and threads of the current Tally process, from /proc, tagged with its epoch. */
final class ProcessSampler extends Thread {
    record Sample(long t, int epoch, long ageMs, long rssKb, int fds, int threads) {}

    private final TallyProcess tally;
    private final List<Sample> samples = new ArrayList<>();
    private volatile int epoch;
    private volatile long epochStart;
    private volatile long epochPid = -1;

    ProcessSampler(TallyProcess tally) {
        super("soak-sampler");
        setDaemon(true);
        this.tally = tally;
    }

    /** A new process started (epoch 0 is the first). */
    void newEpoch(int epoch, long startMs, long pid) {
        this.epoch = epoch;
        this.epochStart = startMs;
        this.epochPid = pid;
    }

    synchronized List<Sample> samples() {
        return new ArrayList<>(samples);
    }

    @Override
    public void run() {
        try {
            while (true) {
                Thread.sleep(10_000);
                long pid = epochPid;
                if (pid < 0 || pid != tally.pid()) continue;
                try {
                    long rss = -1;
                    int threads = -1;
                    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                        if (line.startsWith("VmRSS:")) rss = Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                        if (line.startsWith("Threads:")) threads = Integer.parseInt(line.substring(8).trim());
                    }
                    String[] fds = new File("/proc/" + pid + "/fd").list();
                    long now = System.currentTimeMillis();
                    synchronized (this) {
                        samples.add(new Sample(now, epoch, now - epochStart, rss, fds == null ? -1 : fds.length, threads));
                    }
                } catch (Exception e) {
                    // the process is gone (killed between the check and the read): skip this sample
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
