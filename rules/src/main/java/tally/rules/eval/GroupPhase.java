package tally.rules.eval;

import java.nio.charset.StandardCharsets;

/**
 * A group's evaluation phase exactly as Prometheus computes it: the xxHash64 of the label set
 * {file="...", name="..."} (Prometheus's labels.Hash: each name and value followed by 0xff) modulo the interval in
 * nanoseconds. With the same file path and group name, Tally evaluates at the very timestamps Prometheus does, so
 * the two can be compared sample by sample, and a group keeps its slots across restarts.
 */
final class GroupPhase {
    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P3 = 0x165667B19E3779F9L;
    private static final long P4 = 0x85EBCA77C2B2AE63L;
    private static final long P5 = 0x27D4EB2F165667C5L;

    private GroupPhase() {}

    /** The offset of the group's slots from multiples of the interval, in nanoseconds (0 <= offset < interval). */
    static long offsetNanos(String file, String name, long intervalNanos) {
        return Long.remainderUnsigned(labelsHash(file, name), intervalNanos);
    }

    static long labelsHash(String file, String name) {
        byte[] f = file.getBytes(StandardCharsets.UTF_8);
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] b = new byte[4 + 4 + f.length + 4 + n.length + 2];
        int p = 0;
        p = put(b, p, "file".getBytes(StandardCharsets.US_ASCII));
        b[p++] = (byte) 0xff;
        p = put(b, p, f);
        b[p++] = (byte) 0xff;
        p = put(b, p, "name".getBytes(StandardCharsets.US_ASCII));
        b[p++] = (byte) 0xff;
        p = put(b, p, n);
        b[p++] = (byte) 0xff;
        return xxHash64(b, p);
    }

    private static int put(byte[] b, int p, byte[] src) {
        System.arraycopy(src, 0, b, p, src.length);
        return p + src.length;
    }

    /** xxHash64 with seed 0 of the first {@code len} bytes. */
    static long xxHash64(byte[] b, int len) {
        int i = 0;
        long h;
        if (len >= 32) {
            long v1 = P1 + P2, v2 = P2, v3 = 0, v4 = -P1;
            for (; i + 32 <= len; i += 32) {
                v1 = round(v1, le64(b, i));
                v2 = round(v2, le64(b, i + 8));
                v3 = round(v3, le64(b, i + 16));
                v4 = round(v4, le64(b, i + 24));
            }
            h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
            h = merge(h, v1);
            h = merge(h, v2);
            h = merge(h, v3);
            h = merge(h, v4);
        } else {
            h = P5;
        }
        h += len;
        for (; i + 8 <= len; i += 8) {
            h ^= round(0, le64(b, i));
            h = Long.rotateLeft(h, 27) * P1 + P4;
        }
        if (i + 4 <= len) {
            h ^= (le32(b, i) & 0xFFFFFFFFL) * P1;
            h = Long.rotateLeft(h, 23) * P2 + P3;
            i += 4;
        }
        for (; i < len; i++) {
            h ^= (b[i] & 0xFFL) * P5;
            h = Long.rotateLeft(h, 11) * P1;
        }
        h ^= h >>> 33;
        h *= P2;
        h ^= h >>> 29;
        h *= P3;
        h ^= h >>> 32;
        return h;
    }

    private static long round(long acc, long input) {
        acc += input * P2;
        acc = Long.rotateLeft(acc, 31);
        return acc * P1;
    }

    private static long merge(long acc, long val) {
        acc ^= round(0, val);
        return acc * P1 + P4;
    }

    private static long le64(byte[] b, int i) {
        return (b[i] & 0xFFL) | (b[i + 1] & 0xFFL) << 8 | (b[i + 2] & 0xFFL) << 16 | (b[i + 3] & 0xFFL) << 24
                | (b[i + 4] & 0xFFL) << 32 | (b[i + 5] & 0xFFL) << 40 | (b[i + 6] & 0xFFL) << 48 | (b[i + 7] & 0xFFL) << 56;
    }

    private static int le32(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | (b[i + 3] & 0xFF) << 24;
    }
}
