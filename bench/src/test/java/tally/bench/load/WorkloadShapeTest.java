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
        new SyntheticWorkload(10, 100, 15_000, START, 1, 2).generate(w -> {
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
