package tally.storage.wal;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tally.model.Labels;

/**
 * The process {@link WalKillTest} kills. Replays the WAL, then writes batch after batch, printing
 * {@code ack <n> ok} after each write() returns, and checkpoints every few batches, until it is killed.
 * Batch n always has the same content, so rewriting a batch that was written but not acknowledged is harmless.
 */
public final class WalKillChild {
    static final int SAMPLES_PER_BATCH = 20;
    /** Every {@value #LARGE_EVERY}th batch is large, so kills can also land inside a long write(2) or between two. */
    static final int LARGE_EVERY = 40;
    static final int LARGE_BATCH_SAMPLES = 6_000;
    static final int CHECKPOINT_EVERY = 100;

    public static void main(String[] args) throws Exception {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(3); // never outlive a test that forgot to kill us
        });
        watchdog.setDaemon(true);
        watchdog.start();
        Path dir = Path.of(args[0]);
        long batch = Long.parseLong(args[1]);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false);
        Map<Long, Labels> series = new HashMap<>();
        List<long[]> samples = new ArrayList<>(); // {id, t, bits}
        try (Wal wal = Wal.open(dir, options())) {
            wal.replay(new WalReplayHandler() {
                @Override
                public void series(long id, Labels labels) { series.put(id, labels); }

                @Override
                public void sample(long id, long t, double v) {
                    samples.add(new long[] {id, t, Double.doubleToRawLongBits(v)});
                }
            });
            WalBatch b = new WalBatch();
            for (long end = batch + 1_000_000; batch < end; batch++) {
                b.clear();
                Labels labels = labels(batch);
                series.put(batch, labels);
                b.series(batch, labels);
                for (int i = 0, n = samplesIn(batch); i < n; i++) {
                    double v = value(batch, i);
                    samples.add(new long[] {batch, time(batch, i), Double.doubleToRawLongBits(v)});
                    b.sample(batch, time(batch, i), v);
                }
                wal.write(b);
                out.print("ack " + batch + " ok\n");
                out.flush();
                if (batch % CHECKPOINT_EVERY == 0) {
                    wal.checkpoint(piece -> {
                        series.forEach(piece::series);
                        for (long[] s : samples) piece.sample(s[0], s[1], Double.longBitsToDouble(s[2]));
                    });
                }
            }
        }
    }

    static WalOptions options() {
        return new WalOptions(64 << 10, FsyncPolicy.INTERVAL, 20);
    }

    static Labels labels(long batch) {
        return Labels.of("__name__", "claude_code_cost_usage_USD_total", "session_id", "session-" + batch);
    }

    static int samplesIn(long batch) {
        return batch % LARGE_EVERY == LARGE_EVERY / 2 ? LARGE_BATCH_SAMPLES : SAMPLES_PER_BATCH;
    }

    static long time(long batch, int i) { return batch * 1000 + i * 15; }

    static double value(long batch, int i) { return batch + i / 100.0; }

    private WalKillChild() {}
}
