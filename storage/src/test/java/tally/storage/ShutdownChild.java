package tally.storage;

import java.nio.file.Path;
import tally.model.Appender;
import tally.model.Labels;

/**
 * Child JVM of {@link ShutdownFlushTest}: appends sealed-but-unflushed chunks into a day no partition exists
 * for yet, then exits through a shutdown hook that closes the storage, as SIGTERM does.
 */
public final class ShutdownChild {
    static final long DAY = 86_400_000L;
    static final Labels SERIES = Labels.of("__name__", "tokens", "session_id", "late");
    static final Labels EARLY = Labels.of("__name__", "tokens", "session_id", "early");

    private ShutdownChild() {}

    public static void main(String[] args) throws Exception {
        StorageOptions opts = options(Path.of(args[0]));
        TallyStorage s = TallyStorage.open(opts);
        Appender a = s.appender();
        // day 0 reaches the store first, so Chronicle maps exist (and Chronicle's own exit hook is armed)
        for (int i = 0; i < 8; i++) a.append(0, EARLY, i * 60_000L, i);
        a.commit();
        s.flush();
        for (int i = 0; i < 9; i++) a.append(0, SERIES, 5 * DAY + i * 60_000L, i);
        a.commit();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // JVM shutdown hooks run concurrently: let the other hooks (Chronicle's) finish first, as they do
            // when the flush has more to write than this one
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            s.close();
            System.out.println("closed");
            System.out.flush();
        }));
        System.exit(0);
    }

    static StorageOptions options(Path dir) {
        // chunks of 4 samples: two are sealed and wait for a flush; nothing retires or flushes before exit
        return StorageOptions.defaults(dir).withSamplesPerChunk(4).withFlushIntervalMillis(3_600_000L)
                .withIdleSeriesMillis(30 * DAY);
    }
}
