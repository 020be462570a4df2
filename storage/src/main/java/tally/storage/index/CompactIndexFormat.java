package tally.storage.index;

/**
 * Layout of a sealed block's index file (all ints big-endian, offsets absolute):
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
 *            uvarint (chunkCount << 1 | explicitSeq)
 *            per chunk: [uvarint seq when explicitSeq], varint (minT - previous maxT, or - baseT for the first),
 *                       varint (maxT - minT)
 * seriesTable  int offset of every SERIES_STRIDE-th record (so a lookup skips at most stride-1 records)
 * </pre>
 */
final class CompactIndexFormat {
    static final int MAGIC = 0x54494458; // "TIDX"
    static final int VERSION = 1;
    static final int HEADER_BYTES = 4 * 4 + 8 * 3 + 4 * 3;
    static final int SERIES_STRIDE = 16;

    private CompactIndexFormat() {}
}
