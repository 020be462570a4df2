package tally.bench.load;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The workloads are deterministic and have the shape the benchmark relies on. */
class WorkloadShapeTest {
    private static final long START = Instant.parse(GenerateCommand.DEFAULT_START).toEpochMilli();

    @Test
    void claudeHasAboutThirtySevenSamplesPerSeriesAndWindowsOfFifteenMinutes() throws Exception {
        long[] samples = {0};
        ClaudeWorkload wl = new ClaudeWorkload(10, 2, START, 42, 8);
        wl.generate(w -> {
            for (List<Block> s : w.streams) {
                for (Block b : s) {
                    samples[0] += b.n;
                    assertTrue(b.ts[0] >= w.startMs && b.ts[b.n - 1] < w.endMs(), "a request spans at most one window");
                }
            }
        });
        double perSeries = samples[0] / (double) wl.seriesCount();
        assertTrue(perSeries > 30 && perSeries < 45, "samples/series " + perSeries);
        assertTrue(wl.seriesCount() > 1000, "series " + wl.seriesCount());
    }

    @Test
    void syntheticIsHalfGaugesHalfCountersWithTwoDecimals() throws Exception {
        long[] counts = new long[2];
        new SyntheticWorkload(10, 100, 15_000, START, 1, 2, SyntheticWorkload.Phase.ALIGNED, 0).generate(w -> {
            for (List<Block> s : w.streams) {
                for (Block b : s) {
                    counts[b.series.counter ? 1 : 0] += b.n;
                    for (int i = 0; i < b.n; i++) {
                        double v = b.values[i];
                        if (b.series.counter) assertEquals(Math.rint(v), v);
                        else assertEquals(Math.round(v * 100) / 100.0, v);
                    }
                }
            }
        });
        assertEquals(500, counts[0]);
        assertEquals(500, counts[1]);
    }

    @Test
    void spreadPhasesGiveEverySeriesItsOwnInstantsAndJitterKeepsTimesIncreasing() throws Exception {
        for (long jitter : new long[] {0, 500}) {
            java.util.Map<SeriesDef, java.util.List<Long>> times = new java.util.IdentityHashMap<>();
            new SyntheticWorkload(200, 130, 15_000, START, 1, 2, SyntheticWorkload.Phase.SPREAD, jitter).generate(w -> {
                for (List<Block> s : w.streams) {
                    for (Block b : s) {
                        List<Long> ts = times.computeIfAbsent(b.series, k -> new java.util.ArrayList<>());
                        for (int i = 0; i < b.n; i++) ts.add(b.ts[i]);
                    }
                }
            });
            java.util.Set<Long> all = new java.util.HashSet<>();
            long total = 0;
            for (List<Long> ts : times.values()) {
                assertEquals(130, ts.size());
                for (int i = 0; i < ts.size(); i++) {
                    long slot = START + i * 15_000L;
                    assertTrue(ts.get(i) >= slot && ts.get(i) < slot + 15_000, "sample " + i + " stays in its interval");
                    if (i > 0) assertTrue(ts.get(i) > ts.get(i - 1));
                }
                all.addAll(ts);
                total += ts.size();
            }
            assertEquals(200, times.size());
            // 200 phases in 15,000 ms: a handful of collisions at most, never the aligned case's 200 per instant
            assertTrue(all.size() > total * 0.95, all.size() + " distinct of " + total);
        }
    }

    @Test
    void generateIsDeterministic(@TempDir Path tmp) throws Exception {
        for (String run : new String[] {"a", "b"}) {
            GenerateCommand.run(List.of("--workload=claude", "--users=3", "--days=1", "--out=" + tmp.resolve(run)));
        }
        for (String format : GenerateCommand.FORMATS) {
            String[] files = tmp.resolve("a").resolve(format).toFile().list();
            Arrays.sort(files);
            assertEquals(8, files.length);
            for (String f : files) {
                assertArrayEquals(Files.readAllBytes(tmp.resolve("a").resolve(format).resolve(f)),
                        Files.readAllBytes(tmp.resolve("b").resolve(format).resolve(f)), format + "/" + f);
            }
        }
    }
}
