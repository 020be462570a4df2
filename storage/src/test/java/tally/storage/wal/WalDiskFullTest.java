package tally.storage.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.model.Labels;

/**
 * A disk that fills up (a 1 MiB tmpfs): the write that does not fit fails and is not acknowledged, the WAL keeps
 * taking writes once space returns, and a replay holds every acknowledged batch. Needs root (mount); skips, saying
 * so, where it cannot mount.
 */
class WalDiskFullTest {
    @TempDir
    Path tmp;

    @Test
    void writesFailWhileTheDiskIsFullAndWorkAgainOnceSpaceReturns() throws Exception {
        Path disk = Files.createDirectories(tmp.resolve("disk"));
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", disk.toString()),
                "cannot mount a small tmpfs here (needs root)");
        try {
            Path dir = disk.resolve("wal");
            Path filler = disk.resolve("filler");
            WalOptions opts = Recorded.opts(64 << 20);
            List<Recorded.Sample> acked = new ArrayList<>();
            int failures = 0;
            try (Wal wal = Wal.open(dir, opts)) {
                wal.replay(new Recorded());
                WalBatch b = new WalBatch();
                // fill the rest of the disk with a file we can delete later, then write until a write fails
                Files.write(filler, new byte[900 << 10]);
                long id = 0;
                for (int batch = 0; failures < 3 && batch < 10_000; batch++) {
                    b.clear();
                    b.series(id, Labels.of("__name__", "m", "batch", Long.toString(batch)));
                    List<Recorded.Sample> these = new ArrayList<>();
                    for (int i = 0; i < 100; i++) {
                        b.sample(id, batch * 1000L + i, i);
                        these.add(Recorded.Sample.of(id, batch * 1000L + i, i));
                    }
                    try {
                        wal.write(b);
                        acked.addAll(these);
                    } catch (IOException full) {
                        failures++;
                    }
                    id++;
                }
                assertEquals(3, failures, "the disk filled up");
                Files.delete(filler); // space returns
                b.clear();
                b.series(99_999, Labels.of("__name__", "m", "batch", "after"));
                b.sample(99_999, 5, 6);
                wal.write(b);
                acked.add(Recorded.Sample.of(99_999, 5, 6));
            }
            Recorded r = Recorded.replay(dir, opts);
            assertTrue(r.samples.containsAll(acked), "every acknowledged sample replays");
            assertEquals(acked.size(), r.samples.size(), "and nothing of the failed writes (they fit in one segment)");
        } finally {
            // a lazy unmount if the kernel still counts a closing file against it
            if (!run("umount", disk.toString())) run("umount", "-l", disk.toString());
        }
    }

    private static boolean run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
}
