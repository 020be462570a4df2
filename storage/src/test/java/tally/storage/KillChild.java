package tally.storage;

import java.nio.file.Path;
import tally.model.Appender;
import tally.model.Labels;

/**
 * Child process for {@link KillRecoveryTest}: appends batch after batch, printing "ack N" once
 * batch N's commit returned, until it is killed. Batch contents depend only on N, so a batch
 * re-sent after a kill is identical (a no-op for samples that made it). With an out-of-order window
 * (third argument, ms) each batch also writes some samples ten batches back in time.
 */
public final class KillChild {
    static final int SERIES = 40;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long firstBatch = Long.parseLong(args[1]);
        long window = args.length > 2 ? Long.parseLong(args[2]) : 0;
        StorageOptions o = StorageOptions.defaults(dir).withSamplesPerChunk(8).withFlushIntervalMillis(50)
                .withIdleSeriesMillis(20_000).withOutOfOrderWindowMillis(window);
        TallyStorage s = TallyStorage.open(o);
        Appender a = s.appender();
        for (long b = firstBatch; ; b++) {
            for (int i = 0; i < SERIES; i++) {
                // series drift in and out of activity so flushes also retire idle series
                if ((b / 25 + i) % 3 == 0) continue;
                try {
                    a.append(0, labels(i), time(b), value(b, i));
                } catch (tally.model.AppendException alreadyStored) {
                    // a batch acknowledged before the kill whose ack the parent did not read: same data
                }
            }
            for (int i = 0; i < SERIES && window > 0; i++) {
                if (!oooWritten(b, i)) continue;
                try {
                    a.append(0, labels(i), oooTime(b), oooValue(b, i));
                } catch (tally.model.AppendException alreadyStored) {
                    // as above: only a re-sent batch can be refused
                }
            }
            a.commit();
            System.out.println("ack " + b);
            System.out.flush();
        }
    }

    static Labels labels(int i) {
        return Labels.of("__name__", "kill_test", "series", Integer.toString(i), "session_id", "s" + (i % 4));
    }

    static long time(long batch) {
        return batch * 1000L + 7;
    }

    static double value(long batch, int i) {
        return batch * 10.0 + i + (batch % 5) * 0.25;
    }

    static boolean written(long batch, int i) {
        return (batch / 25 + i) % 3 != 0;
    }

    /** Out-of-order samples go to series written in the same batch, so they are inside the window. */
    static boolean oooWritten(long batch, int i) {
        return batch >= 10 && written(batch, i) && (batch + i) % 3 == 0;
    }

    /** Ten batches back, between two in-order samples (which end in 007). */
    static long oooTime(long batch) {
        return (batch - 10) * 1000L + 507;
    }

    static double oooValue(long batch, int i) {
        return -(batch * 10.0 + i);
    }
}
