package tally.bench.soak;

import java.nio.charset.StandardCharsets;

/** Just enough protobuf reading for the replies: partial_success counts and google.rpc.Status messages. */
final class Proto {
    private Proto() {}

    /** Export{Metrics,Logs}ServiceResponse.partial_success (field 1).rejected_* (field 1); 0 when absent. */
    static long partialRejected(byte[] b) {
        byte[] ps = field(b, 1);
        if (ps == null) return 0;
        long[] pos = {0};
        while (pos[0] < ps.length) {
            long tag = varint(ps, pos);
            if (tag == (1 << 3)) return varint(ps, pos);
            if (!skip(ps, pos, (int) (tag & 7))) return 0;
        }
        return 0;
    }

    /** partial_success.error_message (field 2), or "". */
    static String partialMessage(byte[] b) {
        byte[] ps = field(b, 1);
        if (ps == null) return "";
        byte[] m = field(ps, 2);
        return m == null ? "" : new String(m, StandardCharsets.UTF_8);
    }

    /** google.rpc.Status.message (field 2), or the bytes made printable when it is not one. */
    static String statusMessage(byte[] b) {
        try {
            byte[] m = field(b, 2);
            if (m != null) return new String(m, StandardCharsets.UTF_8);
        } catch (RuntimeException ignored) {
            // not a Status
        }
        return new String(b, StandardCharsets.UTF_8).replaceAll("[^\\x20-\\x7e]", ".");
    }

    /** The first length-delimited field with this number at the top level, or null. */
    static byte[] field(byte[] b, int number) {
        long[] pos = {0};
        while (pos[0] < b.length) {
            long tag = varint(b, pos);
            int wire = (int) (tag & 7);
            if (wire == 2) {
                int len = (int) varint(b, pos);
                int from = (int) pos[0];
                if (from + len > b.length) return null;
                pos[0] += len;
                if ((tag >>> 3) == number) return java.util.Arrays.copyOfRange(b, from, from + len);
            } else if (!skip(b, pos, wire)) {
                return null;
            }
        }
        return null;
    }

    private static boolean skip(byte[] b, long[] pos, int wire) {
        switch (wire) {
            case 0 -> varint(b, pos);
            case 1 -> pos[0] += 8;
            case 5 -> pos[0] += 4;
            case 2 -> pos[0] += varint(b, pos);
            default -> {
                return false;
            }
        }
        return true;
    }

    private static long varint(byte[] b, long[] pos) {
        long v = 0;
        for (int shift = 0; shift < 64 && pos[0] < b.length; shift += 7) {
            byte x = b[(int) pos[0]++];
            v |= (long) (x & 0x7F) << shift;
            if (x >= 0) break;
        }
        return v;
    }
}
