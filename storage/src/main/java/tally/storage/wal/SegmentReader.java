package tally.storage.wal;

import static tally.storage.wal.RecordFormat.*;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import tally.model.Labels;

/**
 * Reads one segment file record by record, checking each CRC before decoding it, and stops at the first record
 * that is incomplete or does not check out. Reusable; not thread-safe.
 */
final class SegmentReader {
    /** How far a file was good. */
    static final class Result {
        long fileBytes;
        /** Offset just past the last good record (0 when even the header is incomplete). */
        long validBytes;
        /** Why reading stopped before the end of the file, or null when the whole file was good. */
        String problem;
        /** A good record follows the bad one: damage inside the file, not a write cut short at its end. */
        boolean goodRecordAfterProblem;
        long records;
        long series;
        long samples;

        boolean clean() { return problem == null; }
    }

    private final CRC32C crc = new CRC32C();
    private byte[] scratch = new byte[256];
    private MappedByteBuffer buf;
    private int pos;

    /** Reads {@code file}, feeding records to {@code handler} (null: only validate). */
    Result read(Path file, WalReplayHandler handler) throws IOException {
        return read(file, 0, Long.MAX_VALUE, handler, false, null);
    }

    /**
     * Reads the records of {@code file} that start at or after {@code from} (a record boundary; 0 also checks the
     * header) and end by {@code to} (a record boundary, or past the end of the file: up to its end). With
     * {@code skipSamples}, sample records are checked but not decoded. {@code onRecordEnd} hears each good record's
     * end offset after the handler has had its content.
     */
    Result read(Path file, long from, long to, WalReplayHandler handler, boolean skipSamples, java.util.function.LongConsumer onRecordEnd)
            throws IOException {
        Result r = new Result();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = Math.min(ch.size(), to);
            r.fileBytes = size;
            if (size == 0) return r; // created, then the process died before the header: nothing lost
            if (size > Integer.MAX_VALUE) {
                r.problem = "segment larger than 2 GiB";
                return r;
            }
            buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            buf.order(ByteOrder.LITTLE_ENDIAN);
            try {
                readAll(r, (int) from, (int) size, handler, skipSamples, onRecordEnd);
            } finally {
                buf = null; // the mapping goes away with the buffer
            }
        }
        return r;
    }

    private void readAll(Result r, int from, int size, WalReplayHandler handler, boolean skipSamples,
                         java.util.function.LongConsumer onRecordEnd) {
        if (size < SEGMENT_HEADER_BYTES) {
            r.problem = "incomplete segment header";
            return;
        }
        if (!isSegmentHeader(buf, 0)) {
            r.problem = "bad segment header";
            return;
        }
        int p = Math.max(SEGMENT_HEADER_BYTES, from);
        r.validBytes = p;
        while (p < size) {
            if (size - p < RECORD_HEADER_BYTES) {
                r.problem = "incomplete record header at offset " + p;
                return;
            }
            int length = buf.getInt(p + LENGTH_OFFSET);
            byte type = buf.get(p + TYPE_OFFSET);
            int payload = p + RECORD_HEADER_BYTES;
            if (length < 0 || length > size - payload) {
                r.problem = "record at offset " + p + " runs past the end of the file (length " + length + ")";
                return;
            }
            int end = payload + length;
            buf.limit(end).position(p + LENGTH_OFFSET);
            crc.reset();
            crc.update(buf);
            buf.limit(size);
            if ((int) crc.getValue() != buf.getInt(p + CRC_OFFSET)) {
                r.problem = "CRC mismatch in record at offset " + p;
                r.goodRecordAfterProblem = validRecordAt(end, size);
                return;
            }
            boolean skip = skipSamples && type == TYPE_SAMPLES;
            if (handler != null && !skip && !decode(type, payload, end, handler, r)) {
                r.problem = "undecodable record of type " + type + " at offset " + p;
                return;
            }
            if (handler == null && type != TYPE_SERIES && type != TYPE_SAMPLES && type != TYPE_RETIRED) {
                r.problem = "unknown record type " + type + " at offset " + p;
                return;
            }
            r.records++;
            p = end;
            r.validBytes = p;
            if (onRecordEnd != null) onRecordEnd.accept(p);
        }
    }

    private boolean validRecordAt(int p, int size) {
        if (size - p < RECORD_HEADER_BYTES) return false;
        int length = buf.getInt(p + LENGTH_OFFSET);
        if (length < 0 || length > size - p - RECORD_HEADER_BYTES) return false;
        buf.limit(p + RECORD_HEADER_BYTES + length).position(p + LENGTH_OFFSET);
        crc.reset();
        crc.update(buf);
        buf.limit(size);
        return (int) crc.getValue() == buf.getInt(p + CRC_OFFSET);
    }

    private boolean decode(byte type, int from, int end, WalReplayHandler handler, Result r) {
        try {
            pos = from;
            if (type == TYPE_SAMPLES) {
                decodeSamples(end, handler, r);
            } else if (type == TYPE_SERIES) {
                decodeSeries(end, handler, r);
            } else if (type == TYPE_RETIRED) {
                long id = 0;
                while (pos < end) {
                    id += unzigzag(readUVarLong());
                    handler.retired(id);
                }
            } else {
                return false;
            }
            return pos == end;
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            return false; // a CRC-valid record we cannot parse: treat like corruption
        }
    }

    private void decodeSamples(int end, WalReplayHandler handler, Result r) {
        MappedByteBuffer b = buf;
        long baseT = b.getLong(pos);
        int p = pos + 8;
        long id = 0;
        long n = 0;
        while (p < end) {
            // inline varint decoding keeps the position in a register
            long v = 0;
            int shift = 0;
            byte x;
            do {
                x = b.get(p++);
                v |= (long) (x & 0x7F) << shift;
                shift += 7;
            } while (x < 0 && shift < 70);
            id += unzigzag(v);
            v = 0;
            shift = 0;
            do {
                x = b.get(p++);
                v |= (long) (x & 0x7F) << shift;
                shift += 7;
            } while (x < 0 && shift < 70);
            long t = baseT + unzigzag(v);
            long bits = b.getLong(p);
            p += 8;
            handler.sample(id, t, Double.longBitsToDouble(bits));
            n++;
        }
        pos = p;
        r.samples += n;
    }

    private void decodeSeries(int end, WalReplayHandler handler, Result r) {
        while (pos < end) {
            long id = readUVarLong();
            long count = readUVarLong();
            if (count < 0 || count > (end - pos) / 2) throw new IllegalArgumentException("label count " + count);
            String[] kv = new String[(int) count * 2];
            for (int k = 0; k < kv.length; k++) kv[k] = readString(end);
            handler.series(id, Labels.wrapSorted(kv)); // written from a Labels, so already sorted and unique
            r.series++;
        }
    }

    private String readString(int end) {
        long len = readUVarLong();
        if (len < 0 || len > end - pos) throw new IllegalArgumentException("string length " + len);
        int n = (int) len;
        if (scratch.length < n) scratch = new byte[Math.max(n, scratch.length * 2)];
        buf.get(pos, scratch, 0, n);
        pos += n;
        return new String(scratch, 0, n, StandardCharsets.UTF_8);
    }

    private long readUVarLong() {
        long v = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            byte x = buf.get(pos++);
            v |= (long) (x & 0x7F) << shift;
            if (x >= 0) return v;
        }
        throw new IllegalArgumentException("varint too long");
    }
}
