package tally.storage.wal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import tally.model.Labels;

/**
 * Reads the log as it is written, from a position on, for a reader that forwards it elsewhere (remote-write out).
 * Before the first record after the start it reads the series names the start needs: the newest checkpoint at or
 * before the start's segment and the segments from there to the start, without their samples. Then each poll
 * delivers what was committed since the last one, record by record, telling the handler where each record ends, so
 * the reader can persist the position it has passed on. Reads only what {@link Wal#committed()} covers, so never a
 * record a failed write may still cut away. One thread polls; files are read directly (a checkpoint may delete a
 * file meanwhile: an open or mapped file stays readable, and a reader's {@link WalHolds.Hold} keeps what it needs).
 */
public final class WalTailer {
    private static final System.Logger LOG = System.getLogger(WalTailer.class.getName());

    /** What the tailer delivers, in log order. A series comes before its samples. */
    public interface Handler extends WalReplayHandler {
        /** A record was read whole and delivered; the log up to {@code packedPosition} ({@link WalPosition#pack}) is done. */
        void recordEnd(long packedPosition);

        /** Part of the log the reader needed is gone (deleted past the holds' cap, or set aside as corrupt). */
        void gap(WalPosition from, WalPosition to, String why);
    }

    private final Wal wal;
    private final Path dir;
    private final Handler handler;
    private final SegmentReader reader = new SegmentReader();
    private long segment;
    private long offset;
    private boolean primed;

    public WalTailer(Wal wal, WalPosition start, Handler handler) {
        this.wal = wal;
        this.dir = wal.directory();
        this.handler = handler;
        this.segment = start.segment();
        this.offset = start.offset();
    }

    /** The next record to read. */
    public WalPosition position() { return new WalPosition(segment, offset); }

    /** Delivers what was committed since the last call; returns the records read. */
    public long poll() throws IOException {
        if (!primed) {
            prime();
            primed = true;
        }
        WalPosition committed = wal.committed();
        long records = 0;
        while (segment <= committed.segment()) {
            boolean last = segment == committed.segment();
            long to = last ? committed.offset() : Long.MAX_VALUE;
            if (last && offset >= to) break;
            long seg = segment;
            SegmentReader.Result r;
            try {
                r = reader.read(WalFiles.segment(dir, seg), offset, to, handler, false,
                        end -> handler.recordEnd(WalPosition.pack(seg, end)));
            } catch (NoSuchFileException e) {
                skipTo(nextSegmentAfter(seg, committed.segment()), "segment " + seg + " is gone");
                continue;
            }
            records += r.records;
            offset = Math.max(offset, r.validBytes);
            if (!r.clean()) {
                LOG.log(Level.ERROR, "WAL {0}: reader stopped at {1}:{2}: {3}", dir, seg, r.validBytes, r.problem);
                if (last) break; // the committed part of the open segment is whole; look again next time
                skipTo(nextSegmentAfter(seg, committed.segment()), "segment " + seg + ": " + r.problem);
                continue;
            }
            if (last) break;
            long next = nextSegmentAfter(seg, committed.segment());
            if (next != seg + 1) skipTo(next, "segments " + (seg + 1) + " to " + (next - 1) + " are missing");
            else {
                segment = next;
                offset = 0;
            }
        }
        return records;
    }

    /** Reads the names of the series alive at the start position, skipping samples. */
    private void prime() throws IOException {
        List<Long> segments = WalFiles.segments(dir);
        if (!segments.isEmpty() && segment < segments.get(0)) {
            skipTo(segments.get(0), "segments before " + segments.get(0) + " were deleted");
        }
        long from = segments.isEmpty() ? segment : segments.get(0);
        List<Long> checkpoints = WalFiles.checkpoints(dir);
        for (int i = checkpoints.size() - 1; i >= 0; i--) {
            long cp = checkpoints.get(i);
            if (cp > segment) continue;
            try {
                Path cpDir = WalFiles.checkpoint(dir, cp);
                for (long s : WalFiles.segments(cpDir)) readNames(WalFiles.segment(cpDir, s), Long.MAX_VALUE);
                from = cp;
                break;
            } catch (NoSuchFileException e) {
                // deleted meanwhile: an older one (or the segments alone) will do
            }
        }
        for (long s : segments) {
            if (s < from || s > segment) continue;
            try {
                readNames(WalFiles.segment(dir, s), s == segment ? offset : Long.MAX_VALUE);
            } catch (NoSuchFileException e) {
                LOG.log(Level.WARNING, "WAL {0}: segment {1} went away while a reader read series names from it", dir, s);
            }
        }
    }

    private void readNames(Path file, long to) throws IOException {
        if (to <= RecordFormat.SEGMENT_HEADER_BYTES) return;
        reader.read(file, 0, to, new WalReplayHandler() {
            @Override
            public void series(long seriesId, Labels labels) { handler.series(seriesId, labels); }

            @Override
            public void sample(long seriesId, long t, double v) { }

            @Override
            public void retired(long seriesId) { handler.retired(seriesId); }
        }, true, null);
    }

    private long nextSegmentAfter(long seg, long limit) throws IOException {
        for (long s : WalFiles.segments(dir)) if (s > seg) return Math.min(s, limit);
        return limit;
    }

    private void skipTo(long next, String why) {
        WalPosition from = position();
        segment = next;
        offset = 0;
        LOG.log(Level.WARNING, "WAL {0}: a reader skips from {1} to {2}:0: {3}", dir, from, next, why);
        handler.gap(from, position(), why);
    }
}
