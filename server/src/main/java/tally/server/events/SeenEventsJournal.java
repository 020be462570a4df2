package tally.server.events;

import tally.model.Labels;
import tally.server.log.Log;
import tally.server.otlp.delta.SeriesHistory;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Keeps {@link SeenEvents} across restarts: an append-only file in the data directory, rewritten as a snapshot (one
 * record per session) when Tally starts and when it has grown past {@link #MIN_COMPACT_BYTES} and twice its last
 * snapshot.
 *
 * <p>The marks of a batch must count exactly when its samples count: if Tally dies between the storage commit and
 * the mark, a resend would be counted twice; marked before a commit that never happens, it would never be counted.
 * So a batch that writes samples is journaled before the commit as PENDING, with one of its samples as witness, and
 * as COMMITTED after it. On start, a PENDING batch without its COMMITTED record (Tally died in between, or the commit
 * failed), and any batch of the last {@link #VERIFY_TAIL_MILLIS}, counts exactly when storage holds its witness
 * sample: the storage's WAL decides, and it is the acknowledgement point. Batches that write no samples (only
 * events that derive nothing) are journaled once, after.
 *
 * <p>Records: {@code int length, int crc32, payload}; a torn or corrupt tail (a kill mid-write) ends the replay. The
 * file is written through the page cache (it survives {@code kill -9}); with {@code --storage.wal.fsync=always}
 * every record is also forced to disk, as the WAL is. Otherwise a power loss can lose the last marks, as it can the
 * last samples: an export whose samples survived and whose marks did not would count again if resent.
 */
final class SeenEventsJournal implements AutoCloseable {
    static final String FILE_NAME = "claude-code-events-seen.log";
    static final long MIN_COMPACT_BYTES = 4L << 20;
    /**
     * Batches journaled in the last 10 s before the end of the file are checked against storage on start even when
     * COMMITTED: 10 times the WAL's 1 s fsync interval, the most of the WAL a power loss can take.
     */
    static final long VERIFY_TAIL_MILLIS = 10_000;
    private static final byte SESSION = 'S', COUNTED = 'B', PENDING = 'P', COMMITTED = 'C';

    /** A sample of a batch whose presence in storage proves that the batch was committed. */
    record Witness(Labels series, long t, double value) {}

    private record Pending(Map<String, List<Long>> marks, long arrivalMillis, Witness witness) {}

    private final Path file;
    private final boolean sync;
    private FileChannel channel;
    private long bytes;
    private long snapshotBytes;
    private long nextBatch = 1;

    private SeenEventsJournal(Path file, boolean sync) {
        this.file = file;
        this.sync = sync;
    }

    /** Replays {@code file} into {@code seen} (resolving unfinished batches against {@code storage}), then compacts it. */
    static SeenEventsJournal open(Path file, SeenEvents seen, SeriesHistory storage, boolean sync, long nowMillis) throws IOException {
        if (Files.exists(file)) replay(Files.readAllBytes(file), seen, storage);
        seen.expire(nowMillis);
        SeenEventsJournal j = new SeenEventsJournal(file, sync);
        j.compact(seen);
        return j;
    }

    private static void replay(byte[] data, SeenEvents seen, SeriesHistory storage) throws IOException {
        Map<Long, Pending> batches = new HashMap<>();
        Map<Long, Boolean> committed = new HashMap<>();
        long newest = Long.MIN_VALUE;
        ByteBuffer buf = ByteBuffer.wrap(data);
        int records = 0;
        while (buf.remaining() >= 8) {
            int len = buf.getInt();
            int crc = buf.getInt();
            if (len < 1 || len > buf.remaining()) break;
            byte[] payload = new byte[len];
            buf.get(payload);
            if (crc(payload) != crc) break;
            DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload));
            boolean known = true;
            try {
                switch (in.readByte()) {
                    case SESSION -> {
                        String session = readString(in);
                        long lastSeen = in.readLong();
                        for (int i = in.readInt(); i > 0; i--) seen.addRange(session, in.readLong(), in.readLong(), lastSeen);
                    }
                    case COUNTED -> {
                        long arrival = in.readLong();
                        apply(seen, readMarks(in), arrival);
                    }
                    case PENDING -> {
                        long id = in.readLong();
                        long arrival = in.readLong();
                        batches.put(id, new Pending(readMarks(in), arrival, readWitness(in)));
                        newest = Math.max(newest, arrival);
                    }
                    case COMMITTED -> committed.put(in.readLong(), Boolean.TRUE);
                    default -> known = false;
                }
            } catch (EOFException e) {
                known = false; // a record shorter than its type says
            }
            if (!known) break; // treated like a torn tail: what follows cannot be trusted
            records++;
        }
        int checked = 0, dropped = 0;
        for (Map.Entry<Long, Pending> b : batches.entrySet()) {
            Pending p = b.getValue();
            // a batch is trusted on its COMMITTED record unless it is among the last ones written: a power loss can
            // take the WAL's last second even where this file's records survived, so storage decides for those
            boolean trusted = committed.containsKey(b.getKey()) && p.arrivalMillis() < newest - VERIFY_TAIL_MILLIS;
            if (!trusted) {
                checked++;
                if (!stored(p.witness(), storage)) {
                    dropped++;
                    continue;
                }
            }
            apply(seen, p.marks(), p.arrivalMillis());
        }
        Log.info("Claude Code events: record of counted events replayed", "records", records, "sessions", seen.sessions(),
                "batches_checked_against_storage", checked, "not_in_storage", dropped);
    }

    private static boolean stored(Witness w, SeriesHistory storage) {
        SeriesHistory.LastSample s = storage.last(w.series(), w.t(), w.t());
        return s != null && s.t() == w.t() && Double.doubleToRawLongBits(s.value()) == Double.doubleToRawLongBits(w.value());
    }

    private static void apply(SeenEvents seen, Map<String, List<Long>> marks, long arrival) {
        for (Map.Entry<String, List<Long>> e : marks.entrySet()) {
            for (long seq : e.getValue()) seen.add(e.getKey(), seq, arrival);
        }
    }

    /** Journals a batch that wrote samples, before its commit; returns the id to pass to {@link #committed}. */
    long pending(Map<String, ? extends Collection<Long>> marks, long arrivalMillis, Witness witness) throws IOException {
        long id = nextBatch++;
        DataOutputStream out = record(PENDING);
        out.writeLong(id);
        out.writeLong(arrivalMillis);
        writeMarks(out, marks);
        writeWitness(out, witness);
        append(out);
        return id;
    }

    void committed(long id) throws IOException {
        DataOutputStream out = record(COMMITTED);
        out.writeLong(id);
        append(out);
    }

    /** Journals the marks of a batch that wrote no samples. */
    void counted(Map<String, ? extends Collection<Long>> marks, long arrivalMillis) throws IOException {
        DataOutputStream out = record(COUNTED);
        out.writeLong(arrivalMillis);
        writeMarks(out, marks);
        append(out);
    }

    boolean wantsCompaction() {
        return bytes > Math.max(MIN_COMPACT_BYTES, 2 * snapshotBytes);
    }

    /** Rewrites the file as one record per session of {@code seen} (temporary file, forced, renamed over the old one). */
    void compact(SeenEvents seen) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        long written;
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            IOException[] failed = {null};
            seen.forEach((session, lastSeen, ranges) -> {
                if (failed[0] != null) return;
                try {
                    DataOutputStream rec = record(SESSION);
                    writeString(rec, session);
                    rec.writeLong(lastSeen);
                    rec.writeInt(ranges.size());
                    for (int i = 0; i < ranges.size(); i++) {
                        rec.writeLong(ranges.lo(i));
                        rec.writeLong(ranges.hi(i));
                    }
                    write(out, rec);
                } catch (IOException e) {
                    failed[0] = e;
                }
            });
            if (failed[0] != null) throw failed[0];
            out.force(true);
            written = out.size();
        }
        if (channel != null) channel.close();
        channel = null;
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        bytes = snapshotBytes = written;
    }

    @Override
    public void close() throws IOException {
        if (channel == null) return;
        channel.force(true);
        channel.close();
        channel = null;
    }

    // --- encoding ---

    private final ByteArrayOutputStream scratch = new ByteArrayOutputStream(256);

    private DataOutputStream record(byte type) throws IOException {
        scratch.reset();
        DataOutputStream out = new DataOutputStream(scratch);
        out.writeByte(type);
        return out;
    }

    /** Appends a record; one that fails half-written is cut off again, so later records are not behind a torn one. */
    private void append(DataOutputStream rec) throws IOException {
        try {
            bytes += write(channel, rec);
        } catch (IOException e) {
            try {
                channel.truncate(bytes);
            } catch (IOException ignored) {
                // the write's error is the one to report; replay stops at a torn record
            }
            throw e;
        }
        if (sync) channel.force(false);
    }

    private int write(FileChannel ch, DataOutputStream rec) throws IOException {
        rec.flush();
        byte[] payload = scratch.toByteArray();
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
        b.putInt(payload.length).putInt(crc(payload)).put(payload).flip();
        while (b.hasRemaining()) ch.write(b);
        return 8 + payload.length;
    }

    private static int crc(byte[] payload) {
        CRC32 c = new CRC32();
        c.update(payload);
        return (int) c.getValue();
    }

    private static void writeMarks(DataOutputStream out, Map<String, ? extends Collection<Long>> marks) throws IOException {
        out.writeInt(marks.size());
        for (Map.Entry<String, ? extends Collection<Long>> e : marks.entrySet()) {
            writeString(out, e.getKey());
            out.writeInt(e.getValue().size());
            for (long seq : e.getValue()) out.writeLong(seq);
        }
    }

    private static Map<String, List<Long>> readMarks(DataInputStream in) throws IOException {
        Map<String, List<Long>> marks = new HashMap<>();
        for (int i = in.readInt(); i > 0; i--) {
            String session = readString(in);
            List<Long> seqs = new ArrayList<>();
            for (int n = in.readInt(); n > 0; n--) seqs.add(in.readLong());
            marks.put(session, seqs);
        }
        return marks;
    }

    private static void writeWitness(DataOutputStream out, Witness w) throws IOException {
        out.writeInt(w.series().size());
        for (int i = 0; i < w.series().size(); i++) {
            writeString(out, w.series().name(i));
            writeString(out, w.series().value(i));
        }
        out.writeLong(w.t());
        out.writeLong(Double.doubleToRawLongBits(w.value()));
    }

    private static Witness readWitness(DataInputStream in) throws IOException {
        String[] kv = new String[2 * in.readInt()];
        for (int i = 0; i < kv.length; i++) kv[i] = readString(in);
        return new Witness(Labels.of(kv), in.readLong(), Double.longBitsToDouble(in.readLong()));
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) throw new EOFException();
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
