package tally.storage.head;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import tally.model.Labels;
import tally.storage.chunk.ChunkIterator;
import tally.storage.wal.ReplayStats;
import tally.storage.wal.WalReplayHandler;

/**
 * Rebuilds the head from the WAL at start-up. A sample at a timestamp the head already holds is
 * skipped: a checkpoint and the segment after it may both hold a sample written during the
 * checkpoint. Older samples the head does not hold were accepted out of order and go back into
 * the series' out-of-order buffer. A series logged twice under different ids (it left the head and came back) becomes
 * one series; the extra id is an alias until the first checkpoint after replay drops it.
 *
 * <p>Memory stays what the live head needed: a RETIRED record retires its series here as the flusher did then
 * (their chunks go to the store), and sealed chunks move to the store whenever they pass the head's pending
 * budget. The store bounds its own heap blocks. A WAL written before RETIRED records existed (Tally 0.1 until
 * this change) has none, and replays into a head holding every series it names.
 */
public final class HeadReplayer implements WalReplayHandler {
    /** Samples between two checks of the pending budget. */
    private static final int PENDING_CHECK_EVERY = 1 << 16;

    private final Head head;
    private final HeadFlusher flusher;
    private final List<Long> aliases = new ArrayList<>();
    private long maxId;
    private int samplesSinceCheck;
    private final ChunkIterator scratch = new ChunkIterator();

    public HeadReplayer(Head head, HeadFlusher flusher) {
        this.head = head;
        this.flusher = flusher;
    }

    public ReplayStats replay() throws IOException {
        ReplayStats stats = head.wal.replay(this);
        head.ids.atLeast(maxId);
        return stats;
    }

    /** Ids that only pointed at another series during replay; drop them once a checkpoint no longer has them. */
    public void dropAliases() {
        for (long id : aliases) head.byId.removeAlias(id);
        aliases.clear();
    }

    @Override
    public void series(long seriesId, Labels labels) {
        if (seriesId > maxId) maxId = seriesId;
        MemSeries existing = head.byLabels.get(labels);
        if (existing == null) {
            MemSeries s = new MemSeries(seriesId, labels);
            s.walLogged = true;
            head.byLabels.put(labels, s);
            head.byId.put(s);
            head.postings.add(s);
            head.stats.seriesCreated.increment();
        } else if (existing.id != seriesId) {
            head.byId.putAlias(seriesId, existing);
            aliases.add(seriesId);
        }
    }

    @Override
    public void sample(long seriesId, long t, double v) {
        MemSeries s = head.byId.get(seriesId);
        if (s == null) {
            head.stats.replayUnknownSeriesSamples.increment();
            return;
        }
        synchronized (s) {
            head.appendLocked(s, t, v, scratch);
        }
        head.observeTime(t);
        if (++samplesSinceCheck == PENDING_CHECK_EVERY) {
            samplesSinceCheck = 0;
            flusher.movePendingDuringReplay();
        }
    }

    @Override
    public void retired(long seriesId) {
        MemSeries s = head.byId.get(seriesId);
        if (s == null) return; // not in this replay's head (a checkpoint after its retirement no longer has it)
        flusher.retireReplayed(s);
        for (int i = aliases.size() - 1; i >= 0; i--) {
            if (head.byId.get(aliases.get(i)) == s) head.byId.removeAlias(aliases.remove(i));
        }
    }
}
