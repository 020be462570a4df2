package tally.storage.index;

import java.util.List;
import java.util.function.Predicate;

/**
 * The series index of one block (a generation of a partition): dense local series ids [0, seriesCount),
 * label symbols and postings. Implemented in memory for the block being written ({@link MutableIndex})
 * and over a memory-mapped file once sealed ({@link CompactIndex}).
 */
public interface BlockIndex {
    /** Local ids lie in [0, seriesCount()). An id may be a hole (no labels, no chunks) after a crash. */
    int seriesCount();

    /** Sorted names of labels any series of this block has. */
    List<String> labelNames();

    /** Sorted values of one label name in this block (empty when unknown). */
    List<String> labelValues(String name);

    /** Series with label name=value. */
    PostingsIterator postings(String name, String value);

    /** Union of the postings of every value of name accepted by match. */
    PostingsIterator postingsMatching(String name, Predicate<String> match);

    /** A reader of series records; not thread-safe, cheap, one per query. */
    SeriesReader seriesReader();

    /**
     * A reader whose labels use {@code canon}'s instance for every label name and value it decodes (equal
     * strings of different blocks then share one instance). Indexes that keep no decoded strings of their own
     * may ignore it.
     */
    default SeriesReader seriesReader(StringCanon canon) {
        return seriesReader();
    }

    /** Bytes this index occupies on disk (0 while only in memory). */
    long diskBytes();

    /** Reads labels and chunk references of series by local id. */
    interface SeriesReader {
        /** Labels of a series, or null for a hole. */
        tally.model.Labels labels(int id);

        /** Calls the visitor for each chunk of the series (write order); returns how many. */
        int chunks(int id, ChunkVisitor visitor);

        /**
         * Appends to {@code out} what {@link #labelsFromRecord} needs to build the series' labels later without this
         * index's record (a few bytes, read while the record is at hand); false when the index keeps no such form
         * (its {@link #labels} is then cheap to call again).
         */
        default boolean appendLabelRecord(int id, ByteSink out) {
            return false;
        }

        /** The labels from bytes {@link #appendLabelRecord} appended, starting at {@code offset}. */
        default tally.model.Labels labelsFromRecord(byte[] record, int offset) {
            throw new UnsupportedOperationException("this index appends no label records");
        }

        /**
         * {@link LabelsOrder#hash} of the series' labels (0 for a hole), without building them when the index
         * can: a selection joins series of several blocks by it and builds labels only for the series consumed.
         */
        default int labelsHash(int id) {
            tally.model.Labels l = labels(id);
            return l == null ? 0 : LabelsOrder.hash(l);
        }
    }

    /**
     * Receives one chunk reference. In a block being written {@code ref} is the chunk's sequence number
     * within the series (part of its map key) and {@code length} is -1; in a sealed block {@code ref} is
     * the chunk's offset in the block's chunk file and {@code length} its size.
     */
    @FunctionalInterface
    interface ChunkVisitor {
        void chunk(long ref, int length, long minT, long maxT);
    }
}
