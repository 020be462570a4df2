package tally.bench.load;

import com.google.gson.GsonBuilder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code generate --workload=claude|synthetic --out=DIR [--formats=remote-write,otlp-cumulative,otlp-delta] [params]}:
 * writes each stream's requests once, as remote-write (remote-write/), OTLP cumulative (otlp-cumulative/) and OTLP
 * delta (otlp-delta/), or only the formats listed, plus manifest.json.
 */
final class GenerateCommand {
    static final String[] FORMATS = {"remote-write", "otlp-cumulative", "otlp-delta"};
    /** A fixed Monday, so the default payloads are the same on every run; pass --start for another. */
    static final String DEFAULT_START = "2026-10-05T00:00:00Z";

    private GenerateCommand() {}

    static Workload workload(Args a) {
        int streams = a.integer("streams", 8);
        long seed = a.number("seed", 42);
        long start = a.instantMillis("start", DEFAULT_START);
        String name = a.str("workload", "claude");
        switch (name) {
            case "synthetic":
                return new SyntheticWorkload(a.integer("series", 10_000), a.integer("samples", 10_000),
                        a.millis("interval", 15_000), start, seed, streams,
                        SyntheticWorkload.Phase.valueOf(a.str("phase", "aligned").toUpperCase(java.util.Locale.ROOT)),
                        a.millis("jitter", 0));
            case "claude":
                return new ClaudeWorkload(a.integer("users", 500), a.integer("days", 30), start, seed, streams);
            default:
                throw new IllegalArgumentException("unknown workload " + name);
        }
    }

    static int run(List<String> argv) throws IOException {
        Args a = new Args(argv);
        Workload wl = workload(a);
        Path out = Path.of(a.required("out"));
        int streams = wl.streams();
        List<String> wanted = List.of(a.str("formats", String.join(",", FORMATS)).split(","));
        for (String f : wanted) {
            if (!List.of(FORMATS).contains(f)) throw new IllegalArgumentException("unknown format " + f);
        }
        PayloadFile.Writer[][] writers = new PayloadFile.Writer[FORMATS.length][];
        for (int f = 0; f < FORMATS.length; f++) {
            if (!wanted.contains(FORMATS[f])) continue;
            writers[f] = new PayloadFile.Writer[streams];
            Files.createDirectories(out.resolve(FORMATS[f]));
            for (int s = 0; s < streams; s++) {
                String file = String.format("stream-%02d.bin%s", s, f == 0 ? "" : ".gz");
                writers[f][s] = new PayloadFile.Writer(out.resolve(FORMATS[f]).resolve(file));
            }
        }
        RemoteWriteEncoder rw = new RemoteWriteEncoder();
        OtlpEncoder cumulative = new OtlpEncoder(false);
        OtlpEncoder delta = new OtlpEncoder(true);
        long[] endMs = {Long.MIN_VALUE};
        long t0 = System.nanoTime();
        wl.generate(w -> {
            for (int s = 0; s < streams; s++) {
                List<Block> blocks = w.streams.get(s);
                if (blocks.isEmpty()) continue;
                int samples = 0;
                for (Block b : blocks) {
                    samples += b.n;
                    endMs[0] = Math.max(endMs[0], b.ts[b.n - 1]);
                }
                if (writers[0] != null) writers[0][s].write(w.index, samples, rw.encode(blocks));
                if (writers[1] != null) {
                    byte[] c = cumulative.encode(blocks);
                    writers[1][s].write(w.index, cumulative.points(), c);
                }
                if (writers[2] != null) {
                    byte[] d = delta.encode(blocks);
                    if (delta.points() > 0) writers[2][s].write(w.index, delta.points(), d);
                }
            }
        });
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("workload", wl.name());
        manifest.put("params", wl.params());
        manifest.put("streams", streams);
        manifest.put("start_ms", wl.startMs());
        manifest.put("end_ms", endMs[0]);
        manifest.put("series", wl.seriesCount());
        for (int f = 0; f < FORMATS.length; f++) {
            if (writers[f] == null) continue;
            long req = 0, samples = 0, bytes = 0;
            for (PayloadFile.Writer wr : writers[f]) {
                wr.close();
                req += wr.requests;
                samples += wr.samples;
                bytes += wr.bodyBytes;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("requests", req);
            m.put("samples", samples);
            m.put("body_bytes", bytes);
            m.put("file_bytes", DiskUsage.apparentBytes(out.resolve(FORMATS[f])));
            manifest.put(FORMATS[f], m);
        }
        manifest.put("generate_seconds", (System.nanoTime() - t0) / 1e9);
        String json = new GsonBuilder().setPrettyPrinting().create().toJson(manifest);
        Files.writeString(out.resolve("manifest.json"), json + "\n", StandardCharsets.UTF_8);
        System.out.println(json);
        return 0;
    }
}
