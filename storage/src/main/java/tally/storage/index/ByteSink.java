package tally.storage.index;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte array used to build index files and encoded values. */
public final class ByteSink {
    private byte[] buf;
    private int size;

    public ByteSink(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    public void put(byte b) {
        if (size == buf.length) grow(1);
        buf[size++] = b;
    }

    public void put(byte[] src, int off, int len) {
        if (size + len > buf.length) grow(len);
        System.arraycopy(src, off, buf, size, len);
        size += len;
    }

    public void putInt(int v) {
        if (size + 4 > buf.length) grow(4);
        buf[size++] = (byte) (v >>> 24);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
    }

    public void putLong(long v) {
        putInt((int) (v >>> 32));
        putInt((int) v);
    }

    /** Overwrites 4 bytes at an earlier position (big-endian, like ByteBuffer's default). */
    public void setInt(int at, int v) {
        buf[at] = (byte) (v >>> 24);
        buf[at + 1] = (byte) (v >>> 16);
        buf[at + 2] = (byte) (v >>> 8);
        buf[at + 3] = (byte) v;
    }

    public void putUvarint(long v) { Varint.putUnsigned(this, v); }

    public void putVarint(long v) { Varint.putSigned(this, v); }

    /** Varint length, then UTF-8 bytes. */
    public void putString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        putUvarint(b.length);
        put(b, 0, b.length);
    }

    public int size() { return size; }

    public void clear() { size = 0; }

    public byte[] array() { return buf; }

    public byte[] toByteArray() { return Arrays.copyOf(buf, size); }

    private void grow(int need) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + need));
    }
}
