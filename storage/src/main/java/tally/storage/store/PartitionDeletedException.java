package tally.storage.store;

/** A write raced with retention: the partition it looked up was deleted meanwhile (a fresh one can be created). */
final class PartitionDeletedException extends IllegalStateException {
    PartitionDeletedException(String partition) {
        super("partition " + partition + " was deleted by retention");
    }
}
