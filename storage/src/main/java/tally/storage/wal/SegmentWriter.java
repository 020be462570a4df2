package tally.storage.wal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends encoded batches to numbered segment files in one directory, starting the next file once the current one
 * reaches {@code segmentBytes}. Used for the live WAL and for checkpoints. Not thread-safe: the owner locks.
 */
final class SegmentWriter implements RecordEncoder.Output, Closeable {
    /** Told when a segment file is complete. */
    interface Listener {
        void segmentClosed(long seq, long bytes);
    }

    private final Path dir;
    private final long segmentBytes;
    private final boolean forceOnRotate;
    private final Listener listener;
    private final RecordEncoder encoder = new RecordEncoder();
    private final int drainAt;

    private FileChannel channel;
    private long seq;
    private long size;
    private boolean directoryDirty; // a segment file was created since the last syncDirectoryIfDirty

    /**
     * @param forceOnRotate fsync a segment before closing it, so forcing only the open segment later covers all
     */
    SegmentWriter(Path dir, long firstSeq, long segmentBytes, boolean forceOnRotate, Listener listener)
            throws IOException {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.forceOnRotate = forceOnRotate;
        this.listener = listener;
        this.drainAt = encoder.buffer().capacity() / 2;
        open(firstSeq);
    }

    long seq() { return seq; }

    /** Bytes in the open segment. */
    long size() { return size; }

    FileChannel channel() { return channel; }

    /**
     * After an append failed (a full disk, most often): drops what it left in the open segment, so the segment
     * ends on a whole record again and later appends can go on once the cause is gone. Records the failed batch
     * completed in a segment it closed on the way stay there (replay applies them; the batch was not
     * acknowledged, so its sender sends it again, and identical samples are no-ops). Throws when the segment
     * cannot be cut back: the WAL must then stay failed.
     */
    void discardFailedAppend(long startSeq, long startSize) throws IOException {
        encoder.buffer().clear();
        if (channel == null || !channel.isOpen()) throw new IOException("WAL segment " + seq + " is not open");
        long keep = seq == startSeq ? startSize : RecordFormat.SEGMENT_HEADER_BYTES;
        channel.truncate(keep);
        channel.position(keep);
        size = keep;
    }

    /** Encodes and writes the whole batch; when this returns every byte of it is in the OS. */
    void append(WalBatch batch) throws IOException {
        encoder.encode(batch, this);
        ByteBuffer buf = encoder.buffer();
        if (buf.position() > 0) drain(buf);
    }

    @Override
    public void recordEnded(ByteBuffer buf) throws IOException {
        if (size + buf.position() >= segmentBytes) {
            drain(buf);
            rotate();
        } else if (buf.position() >= drainAt) {
            drain(buf);
        }
    }

    @Override
    public void drain(ByteBuffer buf) throws IOException {
        buf.flip();
        while (buf.hasRemaining()) size += channel.write(buf);
        buf.clear();
    }

    /** Closes the open segment and starts the next one; returns the new segment's sequence number. */
    long rotate() throws IOException {
        ByteBuffer buf = encoder.buffer();
        if (buf.position() > 0) drain(buf);
        if (forceOnRotate) channel.force(false);
        channel.close();
        long closedSeq = seq;
        long closedSize = size;
        open(seq + 1);
        if (listener != null) listener.segmentClosed(closedSeq, closedSize);
        return seq;
    }

    void force() throws IOException {
        channel.force(false);
    }

    /** Syncs the directory when a segment file was created since the last call. */
    void syncDirectoryIfDirty() throws IOException {
        if (!directoryDirty) return;
        directoryDirty = false;
        WalFiles.syncDirectory(dir);
    }

    boolean takeDirectoryDirty() {
        boolean d = directoryDirty;
        directoryDirty = false;
        return d;
    }

    @Override
    public void close() throws IOException {
        if (channel == null) return;
        try {
            ByteBuffer buf = encoder.buffer();
            if (buf.position() > 0) drain(buf);
            channel.force(false);
        } finally {
            channel.close();
            channel = null;
        }
    }

    private void open(long newSeq) throws IOException {
        Path file = WalFiles.segment(dir, newSeq);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        ByteBuffer header = ByteBuffer.allocate(RecordFormat.SEGMENT_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        RecordFormat.putSegmentHeader(header);
        header.flip();
        long written = 0;
        while (header.hasRemaining()) written += ch.write(header);
        channel = ch;
        seq = newSeq;
        size = written;
        directoryDirty = true;
    }
}
