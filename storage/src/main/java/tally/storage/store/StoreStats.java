package tally.storage.store;

/**
 * Size of the store. {@code series} and {@code chunks} count per block, so a series present in two
 * partitions counts twice. {@code chunkBytes} is the sum of chunk lengths as written (sealed blocks: as
 * stored, chunks sharing timestamps being shorter, plus the shared timelines); {@code indexBytes}
 * the sealed index files plus the series maps of blocks still written; {@code diskBytes} the apparent
 * size of every file (Chronicle Map files are sparse: real usage can be lower); {@code openBlocks} the
 * blocks still in Chronicle Map form (being written, or waiting to be sealed); {@code heapBlockBytes} the
 * estimated heap use of heap blocks not yet sealed; {@code sealFailures} seals that failed (each is retried),
 * {@code heapBlocksSpilled} heap blocks written to maps after a failed seal, {@code lastSealError} the latest
 * failure or null; {@code missingChunks} chunk reads that found the chunk missing from its block (damaged files).
 */
public record StoreStats(int partitions, long series, long chunks, long chunkBytes, long indexBytes, long diskBytes,
                         int openBlocks, long heapBlockBytes, long sealFailures, long heapBlocksSpilled,
                         String lastSealError, long missingChunks) {}
