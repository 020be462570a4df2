package tally.storage.query;

import tally.model.SampleIterator;
import tally.storage.chunk.ChunkIterator;
import tally.storage.head.HeadSeries;
import tally.storage.store.ChunkCursor;
import tally.storage.store.StoredSeries;

/**
 * Walks one series across its sources in time order: persisted chunks from the store, then the
 * head's sealed chunks, then the head's open chunk. Samples outside [mint, maxt] are skipped, and
 * so is any sample not newer than the last one returned (a chunk written to the store twice by a
 * crash between flush and checkpoint, or present in both head and store during a flush).
 * Reusable through {@link #reset}; no allocation per sample or per chunk. When chunks overlap in
 * time (out-of-order chunks, a chunk both in head and store) it delegates to {@link OverlapMerge}
 * instead, which merges by timestamp; that check costs a pass over the chunk ranges only.
 */
final class SeriesIterator implements SampleIterator {
    private static final int STORE = 0, HEAD_SEALED = 1, HEAD_OPEN = 2, DONE = 3;

    private final ChunkIterator chunkIt = new ChunkIterator();
    private ChunkCursor cursor;
    private ChunkCursor spareCursor; // the store's cursor, recycled across series
    private HeadSeries head;
    private int sealedIdx;
    private int stage;
    private long mint, maxt;

    private SampleIterator cur;   // iterator over the current chunk, null between chunks
    private long curMaxT;         // max time of the current chunk
    private boolean has;          // a current sample exists
    private long t = Long.MIN_VALUE;
    private double v;
    private OverlapMerge merge;   // created on the first series with overlapping chunks
    private boolean merging;

    SeriesIterator reset(StoredSeries stored, HeadSeries head, long mint, long maxt) {
        merging = overlapping(stored, head, mint, maxt);
        if (merging) {
            if (merge == null) merge = new OverlapMerge();
            merge.reset(stored, head, mint, maxt);
            return this;
        }
        if (stored != null) spareCursor = stored.chunks(mint, maxt, spareCursor);
        this.cursor = stored == null ? null : spareCursor;
        this.head = head;
        this.sealedIdx = 0;
        this.stage = cursor != null ? STORE : HEAD_SEALED;
        this.mint = mint;
        this.maxt = maxt;
        this.cur = null;
        this.has = false;
        this.t = Long.MIN_VALUE;
        return this;
    }

    /** Whether any two chunks of the series within [mint, maxt] share time. */
    private static boolean overlapping(StoredSeries stored, HeadSeries head, long mint, long maxt) {
        if (head != null && head.overlapping()) return true;
        if (stored == null) return false;
        if (stored.chunksOverlap(mint, maxt)) return true;
        return head != null && stored.chunksMaxT(mint, maxt) >= head.minT();
    }

    @Override
    public boolean next() {
        if (merging) return merge.next();
        if (stage == DONE && cur == null) return false;
        while (true) {
            if (cur != null) {
                while (cur.next()) {
                    long ct = cur.atT();
                    if (ct > maxt) return finish();
                    if (ct < mint || (has && ct <= t)) continue;
                    return set(ct, cur.atV());
                }
                cur = null;
            }
            if (!openNextChunk(has ? Math.max(mint, t + 1) : mint)) return finish();
        }
    }

    @Override
    public boolean seek(long target) {
        if (merging) return merge.seek(target);
        if (has && t >= target) return true;
        if (target < mint) target = mint;
        while (true) {
            if (cur != null && curMaxT >= target) {
                if (cur.seek(target)) {
                    long ct = cur.atT();
                    if (ct > maxt) return finish();
                    if (!has || ct > t) return set(ct, cur.atV());
                    // not newer than what we returned: continue linearly
                    return next();
                }
            }
            cur = null;
            if (!openNextChunk(target)) return finish();
        }
    }

    @Override
    public long atT() { return merging ? merge.atT() : t; }

    @Override
    public double atV() { return merging ? merge.atV() : v; }

    private boolean set(long ct, double cv) {
        t = ct;
        v = cv;
        has = true;
        return true;
    }

    private boolean finish() {
        cur = null;
        stage = DONE;
        has = false;
        return false;
    }

    /** Positions {@link #cur} on the next chunk that may hold a sample >= from and <= maxt. */
    private boolean openNextChunk(long from) {
        while (true) {
            switch (stage) {
                case STORE -> {
                    while (cursor.next()) {
                        if (cursor.maxT() < from) continue;
                        if (cursor.minT() > maxt) break;
                        chunkIt.reset(cursor.array(), cursor.offset(), cursor.length());
                        cur = chunkIt;
                        curMaxT = cursor.maxT();
                        return true;
                    }
                    stage = HEAD_SEALED;
                }
                case HEAD_SEALED -> {
                    while (head != null && sealedIdx < head.sealedCount()) {
                        int i = sealedIdx++;
                        if (head.sealedMaxT(i) < from) continue;
                        if (head.sealedMinT(i) > maxt) break;
                        byte[] b = head.sealedBytes(i);
                        chunkIt.reset(b, 0, b.length);
                        cur = chunkIt;
                        curMaxT = head.sealedMaxT(i);
                        return true;
                    }
                    stage = HEAD_OPEN;
                }
                case HEAD_OPEN -> {
                    stage = DONE;
                    if (head != null && head.hasOpen() && head.openMaxT() >= from && head.openMinT() <= maxt) {
                        cur = head.openIterator(chunkIt);
                        curMaxT = head.openMaxT();
                        return true;
                    }
                }
                default -> {
                    return false;
                }
            }
        }
    }
}
