package tally.forward.wire;

import java.util.Arrays;

/**
 * An encoded, snappy-compressed request body in a buffer its encoder reuses: valid until the next call on the same
 * encoder. {@link #toByteArray} copies it out when it must outlive that.
 */
public final class Payload {
    byte[] bytes;
    int length;
    int uncompressedLength;
    int series;
    int samples;

    /** The buffer: the body is its first {@link #length()} bytes. */
    public byte[] array() { return bytes; }

    /** Compressed length: the request's Content-Length. */
    public int length() { return length; }

    /** The protobuf message's length before compression. */
    public int uncompressedLength() { return uncompressedLength; }

    /** Series (time series entries) in the request. */
    public int series() { return series; }

    /** Float samples in the request. */
    public int samples() { return samples; }

    public byte[] toByteArray() { return Arrays.copyOf(bytes, length); }
}
