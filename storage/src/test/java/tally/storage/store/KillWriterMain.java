package tally.storage.store;

import java.nio.file.Path;
import tally.model.Labels;

/**
 * Child process of {@link SigkillTest}: writes chunks forever into the store at args[0], printing
 * "ACKED n" after every 100 returned writes, until it is killed.
 */
public final class KillWriterMain {
    public static void main(String[] args) throws Exception {
        ChunkStore s = ChunkStore.open(Path.of(args[0]), StoreTestSupport.tiny());
        for (int i = 0; ; i++) {
            Labels l = SigkillTest.labels(i);
            long t = SigkillTest.time(i);
            s.write(i, l, StoreTestSupport.chunk(l, t), t, t + 10);
            if ((i + 1) % 100 == 0) {
                System.out.println("ACKED " + (i + 1));
                System.out.flush();
            }
        }
    }
}
