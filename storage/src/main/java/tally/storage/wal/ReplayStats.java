package tally.storage.wal;

/**
 * What a replay read.
 *
 * @param records            CRC-valid records replayed
 * @param series             series records' entries passed to the handler
 * @param samples            samples passed to the handler
 * @param tornBytesTruncated bytes cut off the end of the WAL (torn or corrupt tail) or set aside after a corrupt
 *                           record in the middle
 * @param segmentsRead       files read, checkpoint files included
 * @param millis             wall time of the replay
 */
public record ReplayStats(long records, long series, long samples, long tornBytesTruncated, int segmentsRead,
                          long millis) {}
