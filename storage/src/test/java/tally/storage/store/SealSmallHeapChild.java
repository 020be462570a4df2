package tally.storage.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import tally.model.Labels;
import tally.storage.chunk.ChunkEncoder;
import tally.storage.chunk.ChunkIterator;

/**
 * Child process of {@link SealSmallHeapTest}: writes one day of {@code series x samples} samples (15 s apart)
 * into a store, seals the day's block and reads every sample back, all in the heap the parent gave it. Shapes:
 * {@code distinct} (each series at its own phase inside the interval: no two series share an instant),
 * {@code jitter} (its own phase, each sample moved by up to 2 s either way) and {@code pairs} (two series per
 * jittered timeline, as two series of one Claude Code session: sharing pays, so the planner groups the whole block). Prints {@code OK samples=N timelines=true|false}.
 * Samples are regenerated from the seed for checking, never held: the heap holds only what the store needs.
 */
public final class SealSmallHeapChild {
    private static final long DAY = StoreOptions.DAY_MILLIS;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String shape = args[1];
        int series = Integer.parseInt(args[2]);
        int samples = Integer.parseInt(args[3]);
        long[] written = {0, 0};
        // a Chronicle Map block (its chunks off the heap), sized for the day so it does not roll over
        StoreOptions opts = new StoreOptions(DAY, 1000 * DAY, 0, 2L * series, 2L * series * (samples / 120 + 1));
        try (ChunkStore s = ChunkStore.open(dir, opts)) {
            ChunkEncoder enc = new ChunkEncoder();
            for (int i = 0; i < series; i++) {
                Labels l = labels(i);
                forEachSample(shape, i, samples, (t, v) -> {
                    enc.append(t, v);
                    written[0]++;
                    written[1] += checksum(t, v);
                    if (enc.numSamples() == 120) {
                        s.write(0, l, enc.toBytes(), enc.minT(), enc.maxT());
                        enc.reset();
                    }
                });
                if (enc.numSamples() > 0) {
                    s.write(0, l, enc.toBytes(), enc.minT(), enc.maxT());
                    enc.reset();
                }
            }
            s.sealPartitionsEndingBefore(DAY);
            Path g0 = dir.resolve("p_0").resolve("g0");
            if (!Files.exists(g0.resolve(Generation.INDEX))) throw new AssertionError("the block was not sealed");
            long[] read = {0, 0};
            ChunkIterator it = new ChunkIterator();
            try (StoreReader r = s.reader(0, DAY)) {
                for (StoredSeries ss : r.select(StoreTestSupport.all(), false)) {
                    ChunkCursor c = ss.chunks(0, DAY);
                    while (c.next()) {
                        it.reset(c.array(), c.offset(), c.length());
                        while (it.next()) {
                            read[0]++;
                            read[1] += checksum(it.atT(), it.atV());
                        }
                    }
                }
            }
            if (read[0] != written[0] || read[1] != written[1]) {
                throw new AssertionError("wrote " + written[0] + " samples, read " + read[0] + " (checksums " + written[1] + " / " + read[1] + ")");
            }
            System.out.println("OK samples=" + read[0] + " timelines=" + Files.exists(g0.resolve(BlockTimelines.FILE)));
        }
    }

    interface SampleSink {
        void accept(long t, double v);
    }

    static Labels labels(int i) {
        return Labels.of("__name__", (i & 1) == 0 ? "gauge" : "counter_total", "instance", "target-" + i, "job", "scrape");
    }

    /** Series i's samples in time order (deterministic: the same on every call). */
    static void forEachSample(String shape, int i, int samples, SampleSink sink) {
        int phaseOf = shape.equals("pairs") ? i / 2 : i;
        long phase = 2000 + new SplittableRandom(phaseOf * 31L + 7).nextLong(11_000); // in [2 s, 13 s) of 15 s
        SplittableRandom r = new SplittableRandom(i);
        SplittableRandom jitter = new SplittableRandom(phaseOf * 17L + 3); // the pair's shared drift
        double v = r.nextInt(1000);
        for (int k = 0; k < samples; k++) {
            long t = k * 15_000L + phase;
            if (!shape.equals("distinct")) t += jitter.nextLong(-2000, 2001);
            v = (i & 1) == 0 ? Math.round((v + r.nextGaussian()) * 100) / 100.0 : v + r.nextInt(10);
            sink.accept(t, v);
        }
    }

    static long checksum(long t, double v) {
        long h = t * 0x9E3779B97F4A7C15L ^ Double.doubleToRawLongBits(v);
        return h ^ (h >>> 29);
    }
}
