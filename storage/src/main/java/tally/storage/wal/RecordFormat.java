package tally.storage.wal;

import java.nio.ByteBuffer;

/**
 * The on-disk layout shared by the encoder and the reader. All integers little-endian.
 *
 * <pre>
 * segment file  = header record*
 * header        = magic "TWAL" (4 bytes) | version u8 | 3 zero bytes
 * record        = crc u32 | length u32 | type u8 | payload[length]
 *                 crc = CRC32C over length, type and payload, so a torn or garbled length is caught too
 * SERIES payload  = entry*   entry = uvarint id | uvarint labelCount | (uvarint len | UTF-8 bytes){2*labelCount}
 * SAMPLES payload = baseT i64 | entry*
 *                   entry = zigzag varint (id - previous id, first against 0) | zigzag varint (t - baseT)
 *                           | value as raw IEEE-754 bits u64 (bit-exact NaN and stale markers)
 * RETIRED payload = entry*   entry = zigzag varint (id - previous id, first against 0): series that left the head
 * </pre>
 * Differences are taken modulo 2^64, so any long timestamps and ids round-trip.
 */
final class RecordFormat {
    static final int MAGIC = 0x4C415754; // "TWAL" read little-endian
    static final byte VERSION = 1;
    static final int SEGMENT_HEADER_BYTES = 8;

    static final int RECORD_HEADER_BYTES = 9;
    static final int CRC_OFFSET = 0;
    static final int LENGTH_OFFSET = 4;
    static final int TYPE_OFFSET = 8;

    static final byte TYPE_SERIES = 1;
    static final byte TYPE_SAMPLES = 2;
    static final byte TYPE_RETIRED = 3;
    /** Ids per RETIRED record: a few KiB, so a damaged record costs little. */
    static final int RETIRED_PER_RECORD = 4096;

    /** Upper bound of one encoded sample: two 10-byte varints and the 8 value bytes. */
    static final int SAMPLE_MAX_BYTES = 28;
    /** Samples per record: big enough to amortise the header, small enough that one bad byte costs little. */
    static final int SAMPLES_PER_RECORD = 4096;
    /** Series records are closed once their payload passes this size. */
    static final int SERIES_RECORD_TARGET_BYTES = 64 << 10;

    private RecordFormat() {}

    static void putSegmentHeader(ByteBuffer b) {
        b.putInt(MAGIC).put(VERSION).put((byte) 0).put((byte) 0).put((byte) 0);
    }

    static boolean isSegmentHeader(ByteBuffer b, int p) {
        return b.getInt(p) == MAGIC && b.get(p + 4) == VERSION;
    }

    static long zigzag(long v) { return (v << 1) ^ (v >> 63); }

    static long unzigzag(long v) { return (v >>> 1) ^ -(v & 1); }

    /** Writes an unsigned LEB128 varint at {@code p}; returns the position after it. */
    static int putUVarLong(ByteBuffer b, int p, long v) {
        while ((v & ~0x7FL) != 0) {
            b.put(p++, (byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        b.put(p++, (byte) v);
        return p;
    }

    /** Bytes a label string can take in UTF-8 plus its length prefix, without encoding it. */
    static int stringMaxBytes(String s) {
        return 5 + 3 * s.length();
    }
}
