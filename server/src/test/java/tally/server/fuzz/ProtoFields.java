package tally.server.fuzz;

import java.util.ArrayList;
import java.util.List;

/**
 * The field layout of bytes that may be protobuf, found without a schema: every field of the top level and of any
 * length-delimited payload that itself reads as a whole message. The mutator uses it to cut, copy and re-size
 * whole fields, which gets mutations past the outer framing and into the nested messages.
 */
final class ProtoFields {
    /** One field: [start, end) in the buffer; for length-delimited ones, where the length varint is and its value. */
    record Field(int start, int end, int lengthAt, int lengthBytes, long length) {
        boolean delimited() { return lengthAt >= 0; }
    }

    private static final int MAX_DEPTH = 12;

    private ProtoFields() {}

    /** The fields found (empty when the bytes do not read as a message at all). */
    static List<Field> of(byte[] b, int len) {
        List<Field> out = new ArrayList<>();
        walk(b, 0, len, 0, out);
        return out;
    }

    /** Adds the fields of b[from, to) when all of it reads as a message; returns whether it did. */
    private static boolean walk(byte[] b, int from, int to, int depth, List<Field> out) {
        int mark = out.size();
        int p = from;
        while (p < to) {
            int start = p;
            long[] tag = varint(b, p, to);
            if (tag == null || (tag[0] >>> 3) == 0) return undo(out, mark);
            p = (int) tag[1];
            int wire = (int) (tag[0] & 7);
            switch (wire) {
                case 0 -> {
                    long[] v = varint(b, p, to);
                    if (v == null) return undo(out, mark);
                    p = (int) v[1];
                    out.add(new Field(start, p, -1, 0, 0));
                }
                case 1, 5 -> {
                    p += wire == 1 ? 8 : 4;
                    if (p > to) return undo(out, mark);
                    out.add(new Field(start, p, -1, 0, 0));
                }
                case 2 -> {
                    long[] n = varint(b, p, to);
                    if (n == null || n[0] < 0 || n[0] > to - n[1]) return undo(out, mark);
                    int body = (int) n[1];
                    int end = body + (int) n[0];
                    out.add(new Field(start, end, p, body - p, n[0]));
                    if (depth < MAX_DEPTH && n[0] > 0) walk(b, body, end, depth + 1, out);
                    p = end;
                }
                default -> {
                    return undo(out, mark);
                }
            }
        }
        return true;
    }

    private static boolean undo(List<Field> out, int mark) {
        out.subList(mark, out.size()).clear();
        return false;
    }

    /** {value, position after it}, or null when no whole varint starts at p. */
    private static long[] varint(byte[] b, int p, int to) {
        long v = 0;
        for (int shift = 0; shift < 64 && p < to; shift += 7) {
            int x = b[p++];
            v |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) return new long[] {v, p};
        }
        return null;
    }

    /** The varint encoding of v (10 bytes for negative values, as protobuf writes them). */
    static byte[] encodeVarint(long v) {
        byte[] tmp = new byte[10];
        int n = 0;
        while ((v & ~0x7FL) != 0) {
            tmp[n++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        tmp[n++] = (byte) v;
        return java.util.Arrays.copyOf(tmp, n);
    }
}
