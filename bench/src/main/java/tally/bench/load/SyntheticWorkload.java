package tally.bench.load;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * S series x N samples at a fixed interval. Even series are random-walk gauges rounded to 2 decimals, odd series
 * integer-step counters. Series i belongs to stream i % streams.
 *
 * <p>{@link Phase#ALIGNED}: every series is scraped at the same instants (one scrape of many targets at once).
 * {@link Phase#SPREAD}: each series has its own phase inside the interval, as Prometheus scrapes different targets
 * at different offsets, so no two series share a timestamp. {@code jitterMs} moves each sample by up to that many
 * milliseconds either way (a scrape that starts a little late or early), keeping each series' times increasing.
 */
final class SyntheticWorkload implements Workload {
    enum Phase { ALIGNED, SPREAD }

    private final int series;
    private final int samples;
    private final long intervalMs;
    private final long startMs;
    private final long seed;
    private final int streams;
    private final Phase phase;
    private final long jitterMs;

    SyntheticWorkload(int series, int samples, long intervalMs, long startMs, long seed, int streams, Phase phase, long jitterMs) {
        if (jitterMs < 0 || 2 * jitterMs >= intervalMs) throw new IllegalArgumentException("--jitter must be below half the interval");
        this.series = series;
        this.samples = samples;
        this.intervalMs = intervalMs;
        this.startMs = startMs;
        this.seed = seed;
        this.streams = streams;
        this.phase = phase;
        this.jitterMs = jitterMs;
    }

    @Override public String name() { return "synthetic"; }
    @Override public int streams() { return streams; }
    @Override public long startMs() { return startMs; }
    @Override public long seriesCount() { return series; }

    @Override
    public Map<String, Object> params() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("series", series);
        p.put("samples", samples);
        p.put("interval_ms", intervalMs);
        p.put("seed", seed);
        p.put("phase", phase.name().toLowerCase(java.util.Locale.ROOT));
        p.put("jitter_ms", jitterMs);
        return p;
    }

    @Override
    public void generate(WindowSink sink) throws IOException {
        SeriesDef[] defs = new SeriesDef[series];
        double[] value = new double[series];
        long[] offset = new long[series];
        SplittableRandom rnd = new SplittableRandom(seed);
        SplittableRandom timeRnd = new SplittableRandom(seed ^ 0x5DEECE66DL); // times apart from values: same values in every mode
        OtlpResource[] resources = new OtlpResource[streams];
        for (int s = 0; s < streams; s++) {
            resources[s] = new OtlpResource(new String[] {"service.name", "synthetic", "host.arch", "amd64"}, "tally.loadgen", "1");
        }
        for (int i = 0; i < series; i++) {
            boolean counter = (i & 1) == 1;
            int pair = i / 2;
            String metric = counter ? "synthetic_counter_" + (pair % 50) : "synthetic_gauge_" + (pair % 50);
            String host = "host-" + (pair / 50);
            String promName = counter ? metric + "_total" : metric;
            defs[i] = new SeriesDef(new String[] {"__name__", promName, "job", "synthetic", "host", host, "id", Integer.toString(pair)},
                    counter, metric, "", new String[] {"host", host, "id", Integer.toString(pair)}, resources[i % streams]);
            value[i] = counter ? rnd.nextInt(1000) : Math.round((20 + rnd.nextDouble() * 80) * 100) / 100.0;
            // inside [jitter, interval - jitter): a jittered sample never reaches its neighbour's slot
            if (phase == Phase.SPREAD) offset[i] = jitterMs + timeRnd.nextLong(intervalMs - 2 * jitterMs);
        }
        int perWindow = (int) Math.max(1, Window.LENGTH_MS / intervalMs);
        int windowIndex = 0;
        for (int first = 0; first < samples; first += perWindow, windowIndex++) {
            int count = Math.min(perWindow, samples - first);
            Window w = new Window(windowIndex, startMs + first * intervalMs, streams);
            for (int i = 0; i < series; i++) {
                Block b = new Block(defs[i]);
                b.ts = new long[count];
                b.values = new double[count];
                double v = value[i];
                for (int k = 0; k < count; k++) {
                    if (defs[i].counter) {
                        v += rnd.nextInt(10);
                    } else {
                        v = Math.round((v + rnd.nextGaussian() * 0.5) * 100) / 100.0;
                    }
                    long t = startMs + (first + k) * intervalMs + offset[i];
                    if (jitterMs > 0) t += timeRnd.nextLong(2 * jitterMs + 1) - jitterMs;
                    b.add(t, v);
                }
                value[i] = v;
                w.streams.get(i % streams).add(b);
            }
            sink.accept(w);
        }
    }
}
