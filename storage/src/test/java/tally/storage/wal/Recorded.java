package tally.storage.wal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tally.model.Labels;

/** A replay handler that keeps everything it is given, values as raw bits so NaN payloads compare exactly. */
final class Recorded implements WalReplayHandler {
    record Sample(long id, long t, long bits) {
        static Sample of(long id, long t, double v) { return new Sample(id, t, Double.doubleToRawLongBits(v)); }
    }

    final Map<Long, Labels> series = new LinkedHashMap<>();
    final List<Sample> samples = new ArrayList<>();
    /** Retired ids, each with the number of samples replayed before it (where in the log it stood). */
    final List<long[]> retired = new ArrayList<>();
    ReplayStats stats;

    @Override
    public void series(long seriesId, Labels labels) { series.put(seriesId, labels); }

    @Override
    public void sample(long seriesId, long t, double v) { samples.add(Sample.of(seriesId, t, v)); }

    @Override
    public void retired(long seriesId) { retired.add(new long[] {seriesId, samples.size()}); }

    /** Opens, replays and closes the WAL in {@code dir}. */
    static Recorded replay(Path dir, WalOptions opts) throws IOException {
        Recorded r = new Recorded();
        try (Wal wal = Wal.open(dir, opts)) {
            r.stats = wal.replay(r);
        }
        return r;
    }

    static WalOptions opts(long segmentBytes) {
        return new WalOptions(segmentBytes, FsyncPolicy.NEVER, 1000);
    }
}
