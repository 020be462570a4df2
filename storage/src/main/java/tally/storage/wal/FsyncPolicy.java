package tally.storage.wal;

/**
 * When the WAL asks the kernel to put written bytes on stable storage ({@code fsync}).
 *
 * <p>Every policy survives a crash of the process (SIGKILL, OOM kill, JVM crash): {@link Wal#write} returns only
 * after the bytes are in the operating system's page cache, which outlives the process. The policies differ only in
 * what a power loss or kernel panic can lose:
 * <ul>
 *   <li>{@link #ALWAYS}: nothing acknowledged. {@code write()} forces the segment before it returns (and syncs the
 *       directory when a new segment file was created). Slowest: one fsync per batch.</li>
 *   <li>{@link #INTERVAL}: at most the batches acknowledged in the last {@code fsyncIntervalMs} (plus the time one
 *       fsync takes). A background thread forces the open segment and, after a rotation, the directory.</li>
 *   <li>{@link #NEVER}: everything the kernel has not written back on its own (on Linux typically up to ~30 s,
 *       {@code vm.dirty_expire_centisecs}) since the last checkpoint or clean close. Checkpoints and
 *       {@link Wal#close()} still fsync.</li>
 * </ul>
 * In all cases a power loss can leave a torn record at the end of the last segment; replay truncates it.
 */
public enum FsyncPolicy { ALWAYS, INTERVAL, NEVER }
