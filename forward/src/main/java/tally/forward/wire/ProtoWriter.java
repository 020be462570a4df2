package tally.forward.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A growable byte buffer that writes the protobuf wire format by hand: varints, fixed64, UTF-8 strings, and nested
 * messages whose length prefix is reserved first and fixed up when the message ends. Reused from request to
 * request; not thread-safe.
 */
final class ProtoWriter {
    static final int VARINT = 0, FIXED64 = 1, LEN = 2;
    /** One 8-byte little-endian store (one bounds check) for fixed64. */
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Bytes reserved for a nested message's length: enough for 16 KiB, the usual time series. */
    private static final int RESERVED = 2;

    byte[] buf;
    int pos;

    ProtoWriter(int initialCapacity) {
        buf = new byte[initialCapacity];
    }

    void reset() {
        pos = 0;
    }

    /** Drops a buffer that one large request grew past {@code keepBytes}, so it is not pinned for good. */
    void shrinkTo(int keepBytes, int initialCapacity) {
        if (buf.length > keepBytes) buf = new byte[initialCapacity];
    }

    private void ensure(int more) {
        if (pos + more > buf.length) grow(more);
    }

    private void grow(int more) {
        long want = Math.max((long) buf.length * 2, (long) pos + more);
        if (want > Integer.MAX_VALUE - 16) {
            if ((long) pos + more > Integer.MAX_VALUE - 16) throw new IllegalStateException("remote-write request over 2 GiB");
            want = Integer.MAX_VALUE - 16;
        }
        buf = Arrays.copyOf(buf, (int) want);
    }

    void tag(int field, int wireType) {
        varint32((field << 3) | wireType);
    }

    void varint32(int v) {
        ensure(5);
        byte[] b = buf;
        int p = pos;
        while ((v & ~0x7F) != 0) {
            b[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        pos = p;
    }

    void varint64(long v) {
        ensure(10);
        byte[] b = buf;
        int p = pos;
        while ((v & ~0x7FL) != 0) {
            b[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        pos = p;
    }

    void fixed64(long v) {
        ensure(8);
        LONG_LE.set(buf, pos, v);
        pos += 8;
    }

    static int varintSize32(int v) {
        if ((v & ~0x7F) == 0) return 1;
        if ((v & ~0x3FFF) == 0) return 2;
        if ((v & ~0x1FFFFF) == 0) return 3;
        if ((v & ~0xFFFFFFF) == 0) return 4;
        return 5;
    }

    static int varintSize64(long v) {
        // 1 + floor(significant bits - 1) / 7), 10 for negative numbers (64 significant bits)
        return (63 - Long.numberOfLeadingZeros(v | 1)) / 7 + 1;
    }

    /** A string field (tag, length, UTF-8 bytes); written even when empty (repeated symbols need their empty entry). */
    void string(int field, String s) {
        tag(field, LEN);
        int len = s.length();
        if (len < 0x80) {
            // one pass for the usual ASCII string: copy the chars after a 1-byte length, which is right when all are ASCII
            ensure(1 + len);
            byte[] b = buf;
            int start = pos, p = start + 1;
            int i = 0;
            for (; i < len; i++) {
                char c = s.charAt(i);
                if (c >= 0x80) break;
                b[p++] = (byte) c;
            }
            if (i == len) {
                b[start] = (byte) len;
                pos = p;
                return;
            }
            pos = start; // not ASCII: start over with the exact length
        }
        int n = utf8Length(s);
        varint32(n);
        utf8(s, n);
    }

    /** A proto3 string field, left out when empty (its default). */
    void stringIfNotEmpty(int field, String s) {
        if (!s.isEmpty()) string(field, s);
    }

    /**
     * UTF-8 length of a Java string as {@link #utf8} writes it: unpaired surrogates become '?' (1 byte), as
     * {@code String.getBytes(UTF_8)} does.
     */
    static int utf8Length(String s) {
        int len = s.length();
        int n = len;
        int i = 0;
        while (i < len && s.charAt(i) < 0x80) i++;
        for (; i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) continue;
            if (c < 0x800) {
                n += 1;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 2; // 4 bytes for 2 chars
                i++;
            } else if (Character.isSurrogate(c)) {
                // unpaired: '?'
            } else {
                n += 2;
            }
        }
        return n;
    }

    /** Writes {@code s} as UTF-8; {@code n} is its {@link #utf8Length}. */
    private void utf8(String s, int n) {
        ensure(n);
        byte[] b = buf;
        int p = pos;
        int len = s.length();
        int i = 0;
        if (n == len) { // ASCII (or only unpaired surrogates, which the slow loop handles)
            for (; i < len; i++) {
                char c = s.charAt(i);
                if (c >= 0x80) break;
                b[p++] = (byte) c;
            }
        }
        for (; i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                b[p++] = (byte) c;
            } else if (c < 0x800) {
                b[p++] = (byte) (0xC0 | (c >>> 6));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                b[p++] = (byte) (0xF0 | (cp >>> 18));
                b[p++] = (byte) (0x80 | ((cp >>> 12) & 0x3F));
                b[p++] = (byte) (0x80 | ((cp >>> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                b[p++] = (byte) '?';
            } else {
                b[p++] = (byte) (0xE0 | (c >>> 12));
                b[p++] = (byte) (0x80 | ((c >>> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        pos = p;
    }

    /** Starts a nested message (after its tag): reserves its length prefix; pass the result to {@link #end}. */
    int begin() {
        ensure(RESERVED);
        int start = pos;
        pos += RESERVED;
        return start;
    }

    /**
     * Ends the nested message begun at {@code start}: writes its length, moving the body when the prefix is not 2
     * bytes. Returns how far the body moved (-1, 0 or more), for callers that noted offsets inside it.
     */
    int end(int start) {
        int bodyStart = start + RESERVED;
        int len = pos - bodyStart;
        int size = varintSize32(len);
        if (size != RESERVED) {
            if (size > RESERVED) ensure(size - RESERVED);
            System.arraycopy(buf, bodyStart, buf, start + size, len);
            pos = start + size + len;
        }
        int p = start;
        int v = len;
        while ((v & ~0x7F) != 0) {
            buf[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[p] = (byte) v;
        return size - RESERVED;
    }

    /** Appends a copy of {@code len} bytes written earlier at {@code from}. */
    void copy(int from, int len) {
        ensure(len);
        System.arraycopy(buf, from, buf, pos, len);
        pos += len;
    }

    /** A Sample message (both versions: value = 1 double, timestamp = 2 int64), proto3 defaults left out. */
    void sample(int field, long t, long valueBits) {
        int size = (valueBits != 0 ? 9 : 0) + (t != 0 ? 1 + varintSize64(t) : 0);
        ensure(2 + size);
        byte[] b = buf;
        int p = pos;
        b[p++] = (byte) ((field << 3) | LEN); // field < 16
        b[p++] = (byte) size;                  // at most 20
        if (valueBits != 0) {
            b[p] = (byte) ((1 << 3) | FIXED64);
            LONG_LE.set(b, p + 1, valueBits);
            p += 9;
        }
        if (t != 0) {
            b[p++] = (byte) ((2 << 3) | VARINT);
            long v = t;
            while ((v & ~0x7FL) != 0) {
                b[p++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            b[p++] = (byte) v;
        }
        pos = p;
    }
}
