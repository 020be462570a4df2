package tally.storage.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A writer thread appends (through mode rebuilds, buffer growth and resets) while a reader takes snapshots
 * under the same lock and decodes them outside it; every snapshot must show exactly its prefix.
 */
class ChunkConcurrencyTest {
    @Test
    void snapshotsStayExactWhileWriterAppends() throws Exception {
        SplittableRandom r = new SplittableRandom(21);
        int rounds = 60;
        int n = 400;
        Shapes[] data = new Shapes[rounds];
        for (int k = 0; k < rounds; k++) {
            data[k] = Shapes.make(Shapes.NAMES[k % Shapes.NAMES.length], n, r);
        }
        ChunkEncoder enc = new ChunkEncoder();
        Object lock = new Object();
        int[] round = {0};
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            for (int k = 0; k < rounds; k++) {
                synchronized (lock) {
                    enc.reset();
                    round[0] = k;
                }
                for (int i = 0; i < n; i++) {
                    synchronized (lock) {
                        enc.append(data[k].t[i], data[k].v[i]);
                    }
                }
            }
        });
        writer.start();
        long checks = 0;
        while (writer.isAlive() || checks == 0) {
            ChunkIterator it;
            int k;
            int count;
            synchronized (lock) {
                k = round[0];
                count = enc.numSamples();
                it = enc.iterator(null);
            }
            try {
                ChunkTestSupport.assertDecodes(it, data[k].t, data[k].v, count, "round " + k + " count " + count);
            } catch (Throwable e) {
                failure.set(e);
                break;
            }
            checks++;
        }
        writer.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertEquals(true, checks > 0);
    }
}
