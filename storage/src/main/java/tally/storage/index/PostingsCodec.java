package tally.storage.index;

import java.nio.ByteBuffer;

/**
 * Encodes a sorted id list as whichever is smaller: varint gaps (good for scattered ids such as
 * one metric name across sessions) or varint runs (good for the consecutive ids of one session,
 * and for labels every series shares, which collapse to one run).
 * Layout: uvarint count, byte kind, payload.
 */
public final class PostingsCodec {
    static final byte GAPS = 0;
    static final byte RUNS = 1;

    private PostingsCodec() {}

    public static void encode(int[] ids, int n, ByteSink out) {
        out.putUvarint(n);
        if (n == 0) {
            out.put(GAPS);
            return;
        }
        long gapBytes = 0, runBytes = 0;
        int runs = 0;
        int prev = -1, runStart = ids[0], prevEnd = 0;
        for (int i = 0; i < n; i++) {
            int id = ids[i];
            gapBytes += uvarintSize(i == 0 ? id : id - prev);
            if (i > 0 && id != prev + 1) {
                runBytes += uvarintSize(runStart - prevEnd) + uvarintSize(prev - runStart);
                runs++;
                prevEnd = prev + 1;
                runStart = id;
            }
            prev = id;
        }
        runBytes += uvarintSize(runStart - prevEnd) + uvarintSize(prev - runStart);
        runs++;
        runBytes += uvarintSize(runs);
        if (gapBytes <= runBytes) {
            out.put(GAPS);
            prev = 0;
            for (int i = 0; i < n; i++) {
                out.putUvarint(ids[i] - prev);
                prev = ids[i];
            }
        } else {
            out.put(RUNS);
            out.putUvarint(runs);
            runStart = ids[0];
            prevEnd = 0;
            prev = ids[0];
            for (int i = 1; i <= n; i++) {
                if (i == n || ids[i] != prev + 1) {
                    out.putUvarint(runStart - prevEnd);
                    out.putUvarint(prev - runStart);
                    prevEnd = prev + 1;
                    if (i < n) runStart = ids[i];
                }
                if (i < n) prev = ids[i];
            }
        }
    }

    /** An iterator over a list encoded at absolute offset {@code off} of buf. */
    public static PostingsIterator decode(ByteBuffer buf, int off) {
        int[] pos = {off};
        int n = (int) Varint.getUnsigned(buf, pos);
        if (n == 0) return Postings.EMPTY;
        byte kind = buf.get(pos[0]++);
        return kind == RUNS ? new RunIterator(buf, pos) : new GapIterator(buf, pos, n);
    }

    /** Number of ids in the list at off. */
    public static int count(ByteBuffer buf, int off) {
        return (int) Varint.getUnsigned(buf, new int[] {off});
    }

    static int uvarintSize(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            n++;
            v >>>= 7;
        }
        return n;
    }

    private static final class GapIterator implements PostingsIterator {
        private final ByteBuffer buf;
        private final int[] pos;
        private int left;
        private int acc;      // running sum of gaps
        private int cur = -1;

        GapIterator(ByteBuffer buf, int[] pos, int n) {
            this.buf = buf;
            this.pos = pos;
            this.left = n;
        }

        @Override
        public boolean next() {
            if (left == 0) {
                left = -1;
                return false;
            }
            if (left < 0) return false;
            left--;
            acc += (int) Varint.getUnsigned(buf, pos);
            cur = acc;
            return true;
        }

        @Override
        public boolean seek(int target) {
            if (left < 0) return false;
            if (cur >= target) return true;
            while (next()) if (cur >= target) return true;
            return false;
        }

        @Override
        public int at() { return cur; }
    }

    private static final class RunIterator implements PostingsIterator {
        private final ByteBuffer buf;
        private final int[] pos;
        private int runsLeft;
        private int cur = -1;
        private int runEnd = -1; // inclusive end of the current run
        private boolean done;

        RunIterator(ByteBuffer buf, int[] pos) {
            this.buf = buf;
            this.pos = pos;
            this.runsLeft = (int) Varint.getUnsigned(buf, pos);
        }

        @Override
        public boolean next() {
            if (done) return false;
            if (cur < runEnd) {
                cur++;
                return true;
            }
            return nextRun();
        }

        private boolean nextRun() {
            if (runsLeft == 0) {
                done = true;
                return false;
            }
            runsLeft--;
            int start = runEnd + 1 + (int) Varint.getUnsigned(buf, pos);
            runEnd = start + (int) Varint.getUnsigned(buf, pos);
            cur = start;
            return true;
        }

        @Override
        public boolean seek(int target) {
            if (done) return false;
            if (cur >= target) return true;
            while (runEnd < target) {
                if (!nextRun()) return false;
            }
            if (cur < target) cur = target;
            return true;
        }

        @Override
        public int at() { return cur; }
    }
}
