package tally.storage.index;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tally.model.Labels;

/** Writes a sealed {@link MutableIndex} as a compact, immutable index file (see {@link CompactIndexFormat}). */
public final class CompactIndexWriter {
    private CompactIndexWriter() {}

    /** Reads the bytes of chunk (series id, seq) of the block being sealed. */
    @FunctionalInterface
    public interface ChunkSource {
        byte[] read(int seriesId, long seq) throws IOException;
    }

    /** Runs once the chunk file is in place, before the index rename commits the block. */
    @FunctionalInterface
    public interface BeforeCommit {
        void run() throws IOException;
    }

    public static void write(MutableIndex index, long baseT, ChunkSource chunks, Path file, Path chunkFile) throws IOException {
        write(index, baseT, chunks, file, chunkFile, () -> { });
    }

    /**
     * Seals a block that is no longer written: copies its chunks into {@code chunkFile} (asking {@code chunks}
     * for them in series id, then seq order), runs {@code beforeCommit} (files that must exist once the index
     * does), then writes the index to {@code file}. Both are written to a temp file, fsynced and renamed; the
     * index rename comes last and is the commit point.
     */
    public static void write(MutableIndex index, long baseT, ChunkSource chunks, Path file, Path chunkFile,
                             BeforeCommit beforeCommit) throws IOException {
        Map<String, HashMap<String, IntList>> postings = index.postingsForSealing();
        List<String> names = new ArrayList<>(postings.keySet());
        Collections.sort(names);
        int seriesCount = index.seriesCount();

        ByteSink out = new ByteSink(1024 + seriesCount * 40);
        for (int i = 0; i < CompactIndexFormat.HEADER_BYTES; i++) out.put((byte) 0);

        // values and postings; remember each value's index for the series records
        Map<String, Map<String, Integer>> valueIndex = new HashMap<>();
        int[][] stringOffs = new int[names.size()][];
        int[][] postingOffs = new int[names.size()][];
        for (int n = 0; n < names.size(); n++) {
            HashMap<String, IntList> byValue = postings.get(names.get(n));
            List<String> values = new ArrayList<>(byValue.keySet());
            Collections.sort(values);
            Map<String, Integer> idx = new HashMap<>(values.size() * 2);
            stringOffs[n] = new int[values.size()];
            postingOffs[n] = new int[values.size()];
            for (int v = 0; v < values.size(); v++) {
                idx.put(values.get(v), v);
                stringOffs[n][v] = out.size();
                out.putString(values.get(v));
                postingOffs[n][v] = out.size();
                IntList ids = byValue.get(values.get(v));
                PostingsCodec.encode(ids.array(), ids.size(), out);
            }
            valueIndex.put(names.get(n), idx);
        }
        int[] tableOffs = new int[names.size()];
        for (int n = 0; n < names.size(); n++) {
            tableOffs[n] = out.size();
            for (int v = 0; v < stringOffs[n].length; v++) {
                out.putInt(stringOffs[n][v]);
                out.putInt(postingOffs[n][v]);
            }
        }
        int namesOff = out.size();
        for (int n = 0; n < names.size(); n++) {
            out.putString(names.get(n));
            out.putUvarint(stringOffs[n].length);
            out.putInt(tableOffs[n]);
        }

        Map<String, Integer> nameIndex = new HashMap<>();
        for (int n = 0; n < names.size(); n++) nameIndex.put(names.get(n), n);
        int seriesOff = out.size();
        int strides = (seriesCount + CompactIndexFormat.SERIES_STRIDE - 1) / CompactIndexFormat.SERIES_STRIDE;
        int[] table = new int[strides];
        long[] tableChunkOff = new long[strides];
        Path chunkTmp = chunkFile.resolveSibling(chunkFile.getFileName() + ".tmp");
        long chunkCount, chunkBytes;
        try (OutputStream chunkOut = new BufferedOutputStream(Files.newOutputStream(chunkTmp), 1 << 16)) {
            RecordWriter rw = new RecordWriter(out, baseT, names.size(), chunks, chunkOut);
            for (int id = 0; id < seriesCount; id++) {
                if (id % CompactIndexFormat.SERIES_STRIDE == 0) {
                    table[id / CompactIndexFormat.SERIES_STRIDE] = out.size();
                    tableChunkOff[id / CompactIndexFormat.SERIES_STRIDE] = rw.chunkOffset;
                }
                rw.write(id, index.series(id), nameIndex, valueIndex);
            }
            chunkCount = rw.chunkCount;
            chunkBytes = rw.chunkOffset;
        }
        force(chunkTmp);
        Files.move(chunkTmp, chunkFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        beforeCommit.run();
        int tableOff = out.size();
        for (int k = 0; k < strides; k++) {
            out.putInt(table[k]);
            out.putLong(tableChunkOff[k]);
        }

        byte[] buf = out.array();
        ByteBuffer header = ByteBuffer.wrap(buf, 0, CompactIndexFormat.HEADER_BYTES);
        header.putInt(CompactIndexFormat.MAGIC).putInt(CompactIndexFormat.VERSION)
                .putInt(seriesCount).putInt(names.size())
                .putLong(baseT).putLong(chunkCount).putLong(chunkBytes)
                .putInt(namesOff).putInt(seriesOff).putInt(tableOff);

        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bb = ByteBuffer.wrap(buf, 0, out.size());
            while (bb.hasRemaining()) ch.write(bb);
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void force(Path f) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /** Encodes one series record and copies its chunks; reuses scratch arrays across series. */
    private static final class RecordWriter {
        private final ByteSink out;
        private final long baseT;
        private final byte[] mask;
        private final int[] valueByName;
        private final ChunkSource chunks;
        private final OutputStream chunkOut;
        long chunkOffset;
        long chunkCount;
        private int chunkN;
        private long[] minT = new long[8], maxT = new long[8], seq = new long[8];

        RecordWriter(ByteSink out, long baseT, int nameCount, ChunkSource chunks, OutputStream chunkOut) {
            this.out = out;
            this.baseT = baseT;
            this.mask = new byte[(nameCount + 7) / 8];
            this.valueByName = new int[nameCount];
            this.chunks = chunks;
            this.chunkOut = chunkOut;
        }

        void write(int id, MutableSeries s, Map<String, Integer> nameIndex, Map<String, Map<String, Integer>> valueIndex)
                throws IOException {
            if (s == null) { // a hole left by a crash: no labels, no chunks
                out.putUvarint(0);
                out.putUvarint(0);
                return;
            }
            Labels l = s.labels;
            Arrays.fill(mask, (byte) 0);
            int maxName = -1;
            for (int i = 0; i < l.size(); i++) {
                int n = nameIndex.get(l.name(i));
                mask[n >> 3] |= (byte) (1 << (n & 7));
                valueByName[n] = valueIndex.get(l.name(i)).get(l.value(i));
                maxName = Math.max(maxName, n);
            }
            int maskLen = (maxName + 8) / 8;
            out.putUvarint(maskLen);
            out.put(mask, 0, maskLen);
            for (int n = 0; n <= maxName; n++) {
                if ((mask[n >> 3] & (1 << (n & 7))) != 0) out.putUvarint(valueByName[n]);
            }
            chunkN = 0;
            s.forEachChunk(this::collect);
            out.putUvarint(chunkN);
            long prev = baseT;
            for (int i = 0; i < chunkN; i++) {
                byte[] c = chunks.read(id, seq[i]);
                out.putVarint(minT[i] - prev);
                out.putVarint(maxT[i] - minT[i]);
                out.putUvarint(c.length);
                chunkOut.write(c);
                chunkOffset += c.length;
                chunkCount++;
                prev = maxT[i];
            }
        }

        private void collect(long ref, int length, long min, long max) {
            if (chunkN == minT.length) {
                minT = Arrays.copyOf(minT, chunkN * 2);
                maxT = Arrays.copyOf(maxT, chunkN * 2);
                seq = Arrays.copyOf(seq, chunkN * 2);
            }
            minT[chunkN] = min;
            maxT[chunkN] = max;
            seq[chunkN] = ref;
            chunkN++;
        }
    }
}
