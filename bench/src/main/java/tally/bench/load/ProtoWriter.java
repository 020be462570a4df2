package tally.bench.load;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A reusable protobuf wire-format writer into one growable byte array. Nested messages are written in
 * place: {@link #begin} reserves one length byte, {@link #end} patches the length and shifts the body
 * when the length needs more than one varint byte (rare for the small inner messages, once for outer ones).
 */
public final class ProtoWriter {
    private byte[] buf = new byte[1 << 16];
    private int pos;
    private final int[] stack = new int[16];
    private int depth;

    public void reset() {
        pos = 0;
        depth = 0;
    }

    public int size() {
        return pos;
    }

    public byte[] array() {
        return buf;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    private void ensure(int n) {
        if (pos + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
    }

    private void rawVarint(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

    private void tag(int field, int wireType) {
        rawVarint(((long) field << 3) | wireType);
    }

    public void varint(int field, long v) {
        tag(field, 0);
        rawVarint(v);
    }

    public void fixed64(int field, long v) {
        tag(field, 1);
        ensure(8);
        for (int i = 0; i < 8; i++) buf[pos++] = (byte) (v >>> (8 * i));
    }

    public void doubleField(int field, double v) {
        fixed64(field, Double.doubleToRawLongBits(v));
    }

    public void bool(int field, boolean v) {
        varint(field, v ? 1 : 0);
    }

    public void string(int field, String s) {
        bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    public void bytes(int field, byte[] b) {
        tag(field, 2);
        rawVarint(b.length);
        ensure(b.length);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
    }

    /** Starts a length-delimited sub-message; close it with {@link #end}. */
    public void begin(int field) {
        tag(field, 2);
        ensure(1);
        stack[depth++] = pos;
        buf[pos++] = 0;
    }

    public void end() {
        int lenPos = stack[--depth];
        int bodyStart = lenPos + 1;
        int len = pos - bodyStart;
        int extra = varintSize(len) - 1;
        if (extra > 0) {
            ensure(extra);
            System.arraycopy(buf, bodyStart, buf, bodyStart + extra, len);
            pos += extra;
        }
        int p = lenPos;
        long v = len;
        while ((v & ~0x7FL) != 0) {
            buf[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[p] = (byte) v;
    }

    /** Drops everything written after mark (only valid at the nesting depth where mark was taken). */
    public void truncate(int mark) {
        pos = mark;
    }

    static int varintSize(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            n++;
            v >>>= 7;
        }
        return n;
    }
}
