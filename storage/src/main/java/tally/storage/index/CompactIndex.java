package tally.storage.index;

import java.io.IOException;
import java.lang.ref.SoftReference;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.List;
import java.util.function.Predicate;
import tally.model.Labels;

/**
 * Read-only index of a sealed block over a memory-mapped file. The heap holds only the label names;
 * decoded value strings are cached per name behind soft references, so an unqueried block costs
 * (almost) no heap and a queried one gives its cache back under memory pressure.
 */
public final class CompactIndex implements BlockIndex {
    private final ByteBuffer buf;
    private final long fileBytes;
    private final int seriesCount;
    private final long baseT;
    private final long chunkCount;
    private final long chunkBytes;
    private final int seriesOff;
    private final int tableOff;
    private final String[] names;
    private final int[] valueCount;
    private final int[] valueTableOff;
    /**
     * Record start and first chunk offset of every series id, for sparse selections; rebuilt when the GC
     * cleared it (12 bytes per series, only for blocks being queried). Racing builders publish equal tables.
     */
    private volatile SoftReference<RecordOffsets> offsets;

    private record RecordOffsets(int[] pos, long[] chunkOff) {}

    /** Decoded values per name; an AtomicReferenceArray so a racing reader never sees a half-published array. */
    private final AtomicReferenceArray<SoftReference<String[]>> valueCache;

    private CompactIndex(ByteBuffer buf, long fileBytes) throws IOException {
        this.buf = buf;
        this.fileBytes = fileBytes;
        if (buf.getInt(0) != CompactIndexFormat.MAGIC || buf.getInt(4) != CompactIndexFormat.VERSION) {
            throw new IOException("not a Tally index file (bad magic or version)");
        }
        seriesCount = buf.getInt(8);
        int nameCount = buf.getInt(12);
        baseT = buf.getLong(16);
        chunkCount = buf.getLong(24);
        chunkBytes = buf.getLong(32);
        int namesOff = buf.getInt(40);
        seriesOff = buf.getInt(44);
        tableOff = buf.getInt(48);
        names = new String[nameCount];
        valueCount = new int[nameCount];
        valueTableOff = new int[nameCount];
        int[] pos = {namesOff};
        for (int n = 0; n < nameCount; n++) {
            names[n] = readString(pos);
            valueCount[n] = (int) Varint.getUnsigned(buf, pos);
            valueTableOff[n] = buf.getInt(pos[0]);
            pos[0] += 4;
        }
        valueCache = new AtomicReferenceArray<>(nameCount);
    }

    public static CompactIndex open(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            MappedByteBuffer mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            return new CompactIndex(mapped, size);
        }
    }

    public long chunkCount() { return chunkCount; }
    public long chunkBytes() { return chunkBytes; }

    @Override
    public int seriesCount() { return seriesCount; }

    @Override
    public long diskBytes() { return fileBytes; }

    @Override
    public List<String> labelNames() { return List.of(names); }

    @Override
    public List<String> labelValues(String name) {
        int n = nameIndex(name);
        return n < 0 ? List.of() : List.of(values(n));
    }

    @Override
    public PostingsIterator postings(String name, String value) {
        int n = nameIndex(name);
        if (n < 0) return Postings.EMPTY;
        int v = Arrays.binarySearch(values(n), value);
        return v < 0 ? Postings.EMPTY : postingsAt(n, v);
    }

    @Override
    public PostingsIterator postingsMatching(String name, Predicate<String> match) {
        int n = nameIndex(name);
        if (n < 0) return Postings.EMPTY;
        String[] values = values(n);
        List<PostingsIterator> its = new ArrayList<>();
        for (int v = 0; v < values.length; v++) if (match.test(values[v])) its.add(postingsAt(n, v));
        return Postings.union(its);
    }

    private PostingsIterator postingsAt(int n, int v) {
        return PostingsCodec.decode(buf, buf.getInt(valueTableOff[n] + v * 8 + 4));
    }

    private int nameIndex(String name) {
        return Arrays.binarySearch(names, name);
    }

    private String[] values(int n) {
        SoftReference<String[]> ref = valueCache.get(n);
        String[] vs = ref == null ? null : ref.get();
        if (vs == null) {
            vs = new String[valueCount[n]];
            int[] pos = new int[1];
            for (int v = 0; v < vs.length; v++) {
                pos[0] = buf.getInt(valueTableOff[n] + v * 8);
                vs[v] = readString(pos);
            }
            valueCache.set(n, new SoftReference<>(vs));
        }
        return vs;
    }

    private String readString(int[] pos) {
        int len = (int) Varint.getUnsigned(buf, pos);
        byte[] b = new byte[len];
        buf.get(pos[0], b, 0, len);
        pos[0] += len;
        return new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public SeriesReader seriesReader() {
        return new RecordReader(null);
    }

    @Override
    public SeriesReader seriesReader(StringCanon canon) {
        return new RecordReader(canon);
    }

    /** Decodes series records; remembers where the last one ended so ascending ids read sequentially. */
    private final class RecordReader implements SeriesReader {
        private final int[] pos = new int[1];
        private int nextId = -1;         // id whose record starts at nextPos, -1 = unknown
        private int nextPos;
        private int lastId = -1;         // id of the record read last, and where it starts
        private int lastPos;
        private long chunkOff;           // chunk file offset of the first chunk of the record at pos
        private long nextChunkOff;
        private long lastChunkOff;
        private final String[][] valuesByName = new String[names.length][];
        /** Record whose label value ids chunks() kept in valueIds (-1: none), and where its mask lies. */
        private int idsOf = -1;
        private int[] valueIds = new int[16];
        private int idsMaskStart;
        private int idsMaskLen;      // 0 when the record is a hole
        /** Where record idsOf's labels part (mask length, mask, value ids) starts and ends in the file. */
        private int idsLabelsStart, idsLabelsEnd;
        /** With a canon: per name, the canonical instance of each value id, filled as ids are met. */
        private final StringCanon canon;
        private final String[][] canonByName;
        private final String[] canonNames;

        RecordReader(StringCanon canon) {
            this.canon = canon;
            this.canonByName = canon == null ? null : new String[names.length][];
            this.canonNames = canon == null ? names : new String[names.length];
        }

        private String value(int n, int v) {
            String[] vs = valuesByName[n];
            if (vs == null) vs = valuesByName[n] = values(n);
            if (canon == null) return vs[v];
            String[] cs = canonByName[n];
            if (cs == null) cs = canonByName[n] = new String[vs.length];
            String c = cs[v];
            if (c == null) c = cs[v] = canon.canonical(vs[v]);
            return c;
        }

        private String name(int n) {
            String c = canonNames[n];
            if (c == null) c = canonNames[n] = canon.canonical(names[n]);
            return c;
        }

        /** Positions pos[0] at the record of id. */
        private void seekRecord(int id) {
            if (id == lastId) {
                pos[0] = lastPos;
                chunkOff = lastChunkOff;
                return;
            }
            if (id == nextId) {
                pos[0] = nextPos;
                chunkOff = nextChunkOff;
            } else if (id % CompactIndexFormat.SERIES_STRIDE == 0) {
                int entry = tableOff + id / CompactIndexFormat.SERIES_STRIDE * CompactIndexFormat.TABLE_ENTRY_BYTES;
                pos[0] = buf.getInt(entry);
                chunkOff = buf.getLong(entry + 4);
            } else {
                // ids skipped (a sparse selection): jump straight to the record instead of parsing those between
                RecordOffsets t = recordOffsets();
                pos[0] = t.pos[id];
                chunkOff = t.chunkOff[id];
            }
            lastId = id; // both paths: a labels() right after chunks() of the same id re-reads in place
            lastPos = pos[0];
            lastChunkOff = chunkOff;
        }

        /** Where every record starts, built by one pass over the records the first time a query needs it. */
        private RecordOffsets recordOffsets() {
            SoftReference<RecordOffsets> ref = offsets;
            RecordOffsets t = ref == null ? null : ref.get();
            if (t != null) return t;
            t = new RecordOffsets(new int[seriesCount], new long[seriesCount]);
            int entry = tableOff;
            pos[0] = buf.getInt(entry);
            chunkOff = buf.getLong(entry + 4);
            for (int id = 0; id < seriesCount; id++) {
                t.pos[id] = pos[0];
                t.chunkOff[id] = chunkOff;
                skipRecord();
            }
            offsets = new SoftReference<>(t);
            nextId = -1; // pos/chunkOff moved: the sequential shortcut is no longer valid
            return t;
        }

        private void skipRecord() {
            int maskLen = (int) Varint.getUnsigned(buf, pos);
            int bits = 0;
            for (int i = 0; i < maskLen; i++) bits += Integer.bitCount(buf.get(pos[0] + i) & 0xFF);
            pos[0] += maskLen;
            for (int i = 0; i < bits; i++) Varint.getUnsigned(buf, pos);
            skipChunks();
        }

        private void skipChunks() {
            long n = Varint.getUnsigned(buf, pos);
            for (long i = 0; i < n; i++) {
                Varint.getUnsigned(buf, pos);
                Varint.getUnsigned(buf, pos);
                chunkOff += Varint.getUnsigned(buf, pos);
            }
        }

        /** Labels of record idsOf from the mask and the value ids {@link #chunks} kept. */
        private Labels labelsFromIds() {
            int bits = 0;
            for (int i = 0; i < idsMaskLen; i++) bits += Integer.bitCount(buf.get(idsMaskStart + i) & 0xFF);
            String[] kv = new String[bits * 2];
            int k = 0, j = 0;
            for (int i = 0; i < idsMaskLen; i++) {
                int b = buf.get(idsMaskStart + i) & 0xFF;
                while (b != 0) {
                    int n = i * 8 + Integer.numberOfTrailingZeros(b);
                    b &= b - 1;
                    kv[k++] = name(n);
                    kv[k++] = value(n, valueIds[j++]);
                }
            }
            return Labels.wrapSorted(kv);
        }

        private void finished(int id) {
            nextId = id + 1;
            nextPos = pos[0];
            nextChunkOff = chunkOff;
        }

        @Override
        public Labels labels(int id) {
            if (id < 0 || id >= seriesCount) return null;
            if (id == idsOf && idsMaskLen > 0) return labelsFromIds();
            seekRecord(id);
            int maskLen = (int) Varint.getUnsigned(buf, pos);
            int maskStart = pos[0];
            pos[0] += maskLen;
            int bits = 0;
            for (int i = 0; i < maskLen; i++) bits += Integer.bitCount(buf.get(maskStart + i) & 0xFF);
            if (bits == 0) {
                skipChunks();
                finished(id);
                return null;
            }
            String[] kv = new String[bits * 2];
            int k = 0;
            for (int i = 0; i < maskLen; i++) {
                int b = buf.get(maskStart + i) & 0xFF;
                while (b != 0) {
                    int bit = Integer.numberOfTrailingZeros(b);
                    b &= b - 1;
                    int n = i * 8 + bit;
                    kv[k++] = name(n);
                    kv[k++] = value(n, (int) Varint.getUnsigned(buf, pos));
                }
            }
            skipChunks();
            finished(id);
            return Labels.wrapSorted(kv);
        }

        /** The record's labels part as it is in the file: its value ids refer to this index's symbols. */
        @Override
        public boolean appendLabelRecord(int id, ByteSink out) {
            if (id < 0 || id >= seriesCount) return false;
            if (id != idsOf) chunks(id, (r, len, min, max) -> { });
            if (idsMaskLen == 0) return false;
            for (int i = idsLabelsStart; i < idsLabelsEnd; i++) out.put(buf.get(i));
            return true;
        }

        @Override
        public Labels labelsFromRecord(byte[] record, int offset) {
            int[] at = {offset};
            int maskLen = (int) Varint.getUnsigned(record, at);
            int maskStart = at[0];
            at[0] += maskLen;
            int bits = 0;
            for (int i = 0; i < maskLen; i++) bits += Integer.bitCount(record[maskStart + i] & 0xFF);
            String[] kv = new String[bits * 2];
            int k = 0;
            for (int i = 0; i < maskLen; i++) {
                int b = record[maskStart + i] & 0xFF;
                while (b != 0) {
                    int n = i * 8 + Integer.numberOfTrailingZeros(b);
                    b &= b - 1;
                    kv[k++] = name(n);
                    kv[k++] = value(n, (int) Varint.getUnsigned(record, at));
                }
            }
            return Labels.wrapSorted(kv);
        }

        /** Hashes the values as {@link LabelsOrder#hash} does, from the ids {@link #chunks} kept or from the record. */
        @Override
        public int labelsHash(int id) {
            if (id < 0 || id >= seriesCount) return 0;
            if (id != idsOf) chunks(id, (r, len, min, max) -> { });
            if (idsMaskLen == 0) return 0;
            int h = 1, j = 0;
            for (int i = 0; i < idsMaskLen; i++) {
                int b = buf.get(idsMaskStart + i) & 0xFF;
                while (b != 0) {
                    int n = i * 8 + Integer.numberOfTrailingZeros(b);
                    b &= b - 1;
                    h = 31 * h + value(n, valueIds[j++]).hashCode();
                }
            }
            return h ^ (h >>> 16);
        }

        @Override
        public int chunks(int id, ChunkVisitor visitor) {
            if (id < 0 || id >= seriesCount) return 0;
            seekRecord(id);
            int labelsStart = pos[0];
            int maskLen = (int) Varint.getUnsigned(buf, pos);
            int bits = 0;
            for (int i = 0; i < maskLen; i++) bits += Integer.bitCount(buf.get(pos[0] + i) & 0xFF);
            // keep the value ids: labels(id) usually follows and then needs no second pass over the record
            idsOf = -1;
            idsLabelsStart = labelsStart;
            if (valueIds.length < bits) valueIds = new int[Math.max(bits, valueIds.length * 2)];
            idsMaskStart = pos[0];
            idsMaskLen = bits == 0 ? 0 : maskLen;
            pos[0] += maskLen;
            for (int i = 0; i < bits; i++) valueIds[i] = (int) Varint.getUnsigned(buf, pos);
            idsLabelsEnd = pos[0];
            idsOf = id;
            int n = (int) Varint.getUnsigned(buf, pos);
            long prev = baseT;
            for (int i = 0; i < n; i++) {
                long minT = prev + Varint.zigzagDecode(Varint.getUnsigned(buf, pos));
                long maxT = minT + Varint.zigzagDecode(Varint.getUnsigned(buf, pos));
                int length = (int) Varint.getUnsigned(buf, pos);
                visitor.chunk(chunkOff, length, minT, maxT);
                chunkOff += length;
                prev = maxT;
            }
            finished(id);
            return n;
        }
    }
}
