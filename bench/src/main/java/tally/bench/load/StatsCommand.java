package tally.bench.load;

import com.google.gson.GsonBuilder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code stats [--pid=P] [--dir=D] [--index-regex=R] [--json-out=FILE]}: a process's CPU seconds and peak RSS
 * from /proc, and a data directory's allocated bytes (all files, and those whose path matches the index regex).
 */
final class StatsCommand {
    private StatsCommand() {}

    static int run(List<String> argv) throws Exception {
        Args a = new Args(argv);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("time_ms", System.currentTimeMillis());
        if (a.has("pid")) {
            long pid = Long.parseLong(a.required("pid"));
            r.put("pid", pid);
            r.put("cpu_seconds", ProcessStats.cpuSeconds(pid));
            r.put("peak_rss_bytes", ProcessStats.peakRssBytes(pid));
            r.put("rss_bytes", ProcessStats.rssBytes(pid));
        }
        if (a.has("dir")) {
            Path dir = Path.of(a.required("dir"));
            r.put("disk_bytes", DiskUsage.allocatedBytes(dir));
            r.put("apparent_bytes", DiskUsage.apparentBytes(dir));
            if (a.has("index-regex")) r.put("index_bytes", DiskUsage.allocatedBytesMatching(dir, a.required("index-regex")));
        }
        String json = new GsonBuilder().setPrettyPrinting().create().toJson(r);
        if (a.has("json-out")) Files.writeString(Path.of(a.str("json-out", "")), json + "\n", StandardCharsets.UTF_8);
        System.out.println(json);
        return 0;
    }
}
