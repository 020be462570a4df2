package tally.storage.chunk;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Timestamps shared by many chunks of a sealed block (docs/chunk-format.md, "External timestamps").
 * Every series of one Claude Code session is exported at the same instants, so a block can store those
 * instants once as a <em>timeline</em> and let each chunk name the slots it uses instead of carrying its own
 * timestamp section and header times.
 *
 * <p>An instance reads one self-contained chunk at a time ({@link #read}) and re-encodes it with external
 * timestamps ({@link #toExternal}); it is reusable and not thread-safe. The static methods resolve an
 * external chunk back into a self-contained one ({@link #resolve}) and encode timelines.
 */
public final class ChunkTimestamps {
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Bytes a resolved chunk may need beyond its external form and 8 per sample: id, n, minT, span. */
    private static final int RESOLVED_HEADER_SLACK = 1 + 5 + 10 + 10;

    private final ChunkIterator it = new ChunkIterator();
    private long[] t = new long[128];
    private int n;
    private byte[] chunk;
    private int valueMode;
    private int valueStart;
    private int end;

    /**
     * Decodes the timestamps of a self-contained chunk (any mode but external); returns their count.
     * Throws IllegalArgumentException or IllegalStateException for a chunk that does not decode.
     */
    public int read(byte[] c, int off, int len) {
        int count = ChunkHeader.numSamples(c, off, len);
        if (t.length < count) {
            t = new long[Math.max(count, t.length * 2)];
        }
        it.reset(c, off, len);
        int k = 0;
        while (k < count && it.next()) {
            t[k++] = it.atT();
        }
        if (k != count) {
            throw new IllegalArgumentException("corrupt chunk: " + k + " of " + count + " samples");
        }
        n = count;
        chunk = c;
        valueMode = ChunkEncodings.valueMode(c[off] & 0xFF);
        valueStart = it.valueStart();
        end = off + len;
        return count;
    }

    /** Bytes of the value section of the chunk last {@link #read} (kept unchanged by {@link #toExternal}). */
    public int valueBytes() {
        return end - valueStart;
    }

    /** The timestamps of the chunk last {@link #read}, valid in [0, count). */
    public long[] times() {
        return t;
    }

    /**
     * Bytes of the last read chunk with external timestamps at these ascending timeline slots
     * ({@code slots[i]} holds {@code times()[i]}).
     */
    public int externalSize(int timelineId, int[] slots) {
        int start = slots[0];
        boolean run = slots[n - 1] - start == n - 1;
        int size = 1 + Varints.size(n) + Varints.size(timelineId) + Varints.size(((long) start << 1) | (run ? 0 : 1));
        if (!run) {
            int span = slots[n - 1] - start;
            size += Varints.size(span) + (span + 7) / 8;
        }
        return size + end - valueStart;
    }

    /** The last read chunk with external timestamps at these slots (see {@link #externalSize}); values unchanged. */
    public byte[] toExternal(int timelineId, int[] slots) {
        byte[] out = new byte[externalSize(timelineId, slots)];
        int start = slots[0];
        boolean run = slots[n - 1] - start == n - 1;
        out[0] = (byte) ChunkEncodings.id(ChunkEncodings.TS_EXTERNAL, valueMode);
        int p = Varints.put(out, 1, n);
        p = Varints.put(out, p, timelineId);
        p = Varints.put(out, p, ((long) start << 1) | (run ? 0 : 1));
        if (!run) {
            int span = slots[n - 1] - start;
            p = Varints.put(out, p, span);
            for (int i = 1; i < n; i++) {
                int bit = slots[i] - start - 1;
                out[p + (bit >>> 3)] |= (byte) (0x80 >>> (bit & 7));
            }
            p += (span + 7) / 8;
        }
        System.arraycopy(chunk, valueStart, out, p, end - valueStart);
        return out;
    }

    /** Whether the chunk's timestamps live in its block's timelines. */
    public static boolean isExternal(byte[] c, int off, int len) {
        return len >= 2 && ChunkEncodings.tsMode(c[off] & 0xFF) == ChunkEncodings.TS_EXTERNAL;
    }

    /** The timeline an external chunk refers to. */
    public static int timelineId(byte[] c, int off) {
        return (int) Varints.get(c, Varints.skip(c, off + 1));
    }

    /** An upper bound of the bytes {@link #resolve} writes. */
    public static int resolvedMaxLength(byte[] c, int off, int len) {
        long count = Varints.get(c, off + 1);
        return (int) Math.min(Integer.MAX_VALUE - 16, len + RESOLVED_HEADER_SLACK + 8 * count);
    }

    /**
     * Writes the external chunk {@code c[off, off+len)} as a self-contained {@link ChunkEncodings#TS_PLAIN}
     * chunk into {@code out} (at least {@link #resolvedMaxLength} long) and returns its length. Allocation-free.
     */
    public static int resolve(byte[] c, int off, int len, long[] timeline, byte[] out) {
        int p = off + 1;
        long count = Varints.get(c, p);
        p = Varints.skip(c, p);
        p = Varints.skip(c, p); // timeline id
        long sp = Varints.get(c, p);
        p = Varints.skip(c, p);
        long start = sp >>> 1;
        boolean run = (sp & 1) == 0;
        long span = count - 1;
        int bitmap = 0;
        if (!run) {
            span = Varints.get(c, p);
            p = Varints.skip(c, p);
            bitmap = p;
            p += (int) ((span + 7) >>> 3);
        }
        if (count < 1 || start + span >= timeline.length || span < count - 1 || p > off + len) {
            throw new IllegalStateException("corrupt external chunk: " + count + " samples at slot " + start
                + " + " + span + " of a timeline of " + timeline.length);
        }
        int first = (int) start;
        long minT = timeline[first];
        out[0] = (byte) ChunkEncodings.id(ChunkEncodings.TS_PLAIN, ChunkEncodings.valueMode(c[off] & 0xFF));
        int q = Varints.put(out, 1, count);
        q = Varints.put(out, q, Varints.zigzag(minT));
        q = Varints.put(out, q, timeline[first + (int) span] - minT);
        if (run) {
            for (int i = 1; i < count; i++, q += 8) {
                LONG_LE.set(out, q, timeline[first + i]);
            }
        } else {
            int written = 0;
            for (int j = 0; j < span; j++) {
                if ((c[bitmap + (j >>> 3)] & (0x80 >>> (j & 7))) != 0) {
                    LONG_LE.set(out, q, timeline[first + 1 + j]);
                    q += 8;
                    written++;
                }
            }
            if (written != count - 1) {
                throw new IllegalStateException("corrupt external chunk: bitmap holds " + written + " of " + (count - 1) + " slots");
            }
        }
        int valueLen = off + len - p;
        System.arraycopy(c, p, out, q, valueLen);
        return q + valueLen;
    }

    /**
     * A timeline (strictly increasing instants) in the smallest timestamp layout: it is stored as a chunk whose
     * values are all 0, which costs four bytes of value section (frame of reference, width 0).
     */
    public static byte[] encodeTimeline(long[] instants, int count) {
        byte[] c = ChunkEncodings.encode(instants, new double[count], count, 0, 0);
        if (c == null) {
            throw new IllegalArgumentException("timeline not encodable");
        }
        return c;
    }

    /** The instants of a timeline written by {@link #encodeTimeline}. */
    public static long[] decodeTimeline(byte[] b, int off, int len) {
        int count = ChunkHeader.numSamples(b, off, len);
        long[] out = new long[count];
        ChunkIterator it = new ChunkIterator().reset(b, off, len);
        for (int i = 0; i < count; i++) {
            if (!it.next()) {
                throw new IllegalStateException("corrupt timeline: " + i + " of " + count + " instants");
            }
            out[i] = it.atT();
        }
        return out;
    }
}
