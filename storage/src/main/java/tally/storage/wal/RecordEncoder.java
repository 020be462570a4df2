package tally.storage.wal;

import static tally.storage.wal.RecordFormat.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import tally.model.Labels;

/**
 * Turns a {@link WalBatch} into CRC-framed records in one reusable direct buffer: series records first (so replay
 * meets a series before its samples), then sample records, then retired series. No allocation per sample.
 */
final class RecordEncoder {
    /** Where finished records go. */
    interface Output {
        /** Called after each complete record; may drain the buffer (flush, rotate). */
        void recordEnded(ByteBuffer buf) throws IOException;

        /** Writes out everything in {@code buf} (positions 0..position) and clears it. */
        void drain(ByteBuffer buf) throws IOException;
    }

    static final int DEFAULT_BUFFER_BYTES = 1 << 20;

    private ByteBuffer buf;
    private ByteBuffer crcView; // a second view so CRC32C.update does not move buf's position
    private final CRC32C crc = new CRC32C();
    private int recordStart;

    RecordEncoder() {
        this(DEFAULT_BUFFER_BYTES);
    }

    RecordEncoder(int bufferBytes) {
        allocate(bufferBytes);
    }

    ByteBuffer buffer() { return buf; }

    void encode(WalBatch batch, Output out) throws IOException {
        encodeSeries(batch, out);
        encodeSamples(batch, out);
        encodeRetired(batch, out);
    }

    private void encodeRetired(WalBatch batch, Output out) throws IOException {
        int n = batch.retiredCount();
        long[] ids = batch.retiredIds();
        for (int i = 0; i < n; ) {
            int end = Math.min(n, i + RETIRED_PER_RECORD);
            ensureRoom(RECORD_HEADER_BYTES + (end - i) * 10, out);
            begin();
            int p = buf.position();
            long prevId = 0;
            for (; i < end; i++) {
                p = putUVarLong(buf, p, zigzag(ids[i] - prevId));
                prevId = ids[i];
            }
            buf.position(p);
            end(TYPE_RETIRED, out);
        }
    }

    private void encodeSeries(WalBatch batch, Output out) throws IOException {
        int n = batch.seriesCount();
        long[] ids = batch.seriesIds();
        Labels[] labels = batch.seriesLabels();
        int i = 0;
        while (i < n) {
            ensureRoom(RECORD_HEADER_BYTES + seriesMaxBytes(labels[i]), out);
            begin();
            while (i < n && buf.position() - recordStart < SERIES_RECORD_TARGET_BYTES
                    && buf.remaining() >= seriesMaxBytes(labels[i])) {
                putSeries(ids[i], labels[i]);
                i++;
            }
            end(TYPE_SERIES, out);
        }
    }

    private void encodeSamples(WalBatch batch, Output out) throws IOException {
        int n = batch.sampleCount();
        long[] ids = batch.sampleIds();
        long[] times = batch.sampleTimes();
        long[] bits = batch.sampleBits();
        int i = 0;
        while (i < n) {
            ensureRoom(RECORD_HEADER_BYTES + 8 + SAMPLE_MAX_BYTES, out);
            begin();
            ByteBuffer b = buf;
            int p = b.position();
            int end = Math.min(n, i + Math.min(SAMPLES_PER_RECORD, (b.remaining() - 8) / SAMPLE_MAX_BYTES));
            long baseT = times[i];
            b.putLong(p, baseT);
            p += 8;
            long prevId = 0;
            for (; i < end; i++) {
                long id = ids[i];
                p = putUVarLong(b, p, zigzag(id - prevId));
                prevId = id;
                p = putUVarLong(b, p, zigzag(times[i] - baseT));
                b.putLong(p, bits[i]);
                p += 8;
            }
            b.position(p);
            end(TYPE_SAMPLES, out);
        }
    }

    private void putSeries(long id, Labels labels) {
        int p = putUVarLong(buf, buf.position(), id);
        int count = labels.size();
        p = putUVarLong(buf, p, count);
        for (int k = 0; k < count; k++) {
            p = putString(p, labels.name(k));
            p = putString(p, labels.value(k));
        }
        buf.position(p);
    }

    private int putString(int p, String s) {
        int len = s.length();
        boolean ascii = true;
        for (int k = 0; k < len; k++) {
            if (s.charAt(k) >= 0x80) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            p = putUVarLong(buf, p, len);
            for (int k = 0; k < len; k++) buf.put(p++, (byte) s.charAt(k));
            return p;
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8); // rare: label values are nearly always ASCII
        p = putUVarLong(buf, p, utf8.length);
        buf.put(p, utf8);
        return p + utf8.length;
    }

    private static int seriesMaxBytes(Labels labels) {
        int bytes = 20;
        for (int k = 0; k < labels.size(); k++) {
            bytes += stringMaxBytes(labels.name(k)) + stringMaxBytes(labels.value(k));
        }
        return bytes;
    }

    private void begin() {
        recordStart = buf.position();
        buf.position(recordStart + RECORD_HEADER_BYTES);
    }

    private void end(byte type, Output out) throws IOException {
        int end = buf.position();
        buf.putInt(recordStart + LENGTH_OFFSET, end - recordStart - RECORD_HEADER_BYTES);
        buf.put(recordStart + TYPE_OFFSET, type);
        crcView.limit(end);
        crcView.position(recordStart + LENGTH_OFFSET);
        crc.reset();
        crc.update(crcView);
        buf.putInt(recordStart + CRC_OFFSET, (int) crc.getValue());
        out.recordEnded(buf);
    }

    /** Makes {@code bytes} free at the buffer's position: drains it, and grows it for an oversized series. */
    private void ensureRoom(int bytes, Output out) throws IOException {
        if (buf.remaining() >= bytes) return;
        if (buf.position() > 0) out.drain(buf);
        if (buf.remaining() < bytes) allocate(Math.max(bytes, buf.capacity() * 2));
    }

    private void allocate(int bytes) {
        buf = ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
        crcView = buf.duplicate();
    }
}
