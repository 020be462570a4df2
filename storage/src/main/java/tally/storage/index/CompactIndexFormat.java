package tally.storage.index;

/**
 * Layout of a sealed block. Two files: the chunk file holds every chunk's bytes back to back, in series-id
 * then write order; the index file (all ints big-endian, offsets absolute):
 * <pre>
 * header   MAGIC, VERSION, seriesCount, nameCount, baseT(long), chunkCount(long), chunkBytes(long),
 *          namesOff, seriesOff, seriesTableOff
 * values   per name, per sorted value: the value string (uvarint length + UTF-8), then its postings
 *          ({@link PostingsCodec})
 * tables   per name: valueCount x (int stringOff, int postingsOff)
 * names    per sorted name: name string, uvarint valueCount, int tableOff
 * series   one record per local id, in id order:
 *            uvarint maskLen, maskLen bytes: bit i set = the series has sorted name i
 *            one uvarint value index per set bit
 *            uvarint chunkCount
 *            per chunk: varint (minT - previous maxT, or - baseT for the first), varint (maxT - minT),
 *                       uvarint length (its offset in the chunk file is implied by the lengths before it)
 * seriesTable  per SERIES_STRIDE-th record: int record offset, long chunk file offset of its first chunk
 * </pre>
 */
final class CompactIndexFormat {
    static final int MAGIC = 0x54494458; // "TIDX"
    static final int VERSION = 2;
    static final int HEADER_BYTES = 4 * 4 + 8 * 3 + 4 * 3;
    static final int SERIES_STRIDE = 16;
    static final int TABLE_ENTRY_BYTES = 12;

    private CompactIndexFormat() {}
}
