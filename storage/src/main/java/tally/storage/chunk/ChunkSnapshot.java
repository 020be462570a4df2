package tally.storage.chunk;

/**
 * A frozen view of an open chunk: the samples appended before {@link ChunkEncoder#snapshot()}
 * was called, readable any number of times and from any thread while the encoder keeps
 * appending (the encoder never rewrites bits a snapshot can see).
 */
public final class ChunkSnapshot {
    private final int count;
    private final long minT, maxT;
    private final int tsMode;
    private final byte[] tsBuf;
    private final int valMode, valScale;
    private final byte[] valBuf;

    ChunkSnapshot(int count, long minT, long maxT, int tsMode, byte[] tsBuf, int valMode, int valScale, byte[] valBuf) {
        this.count = count;
        this.minT = minT;
        this.maxT = maxT;
        this.tsMode = tsMode;
        this.tsBuf = tsBuf;
        this.valMode = valMode;
        this.valScale = valScale;
        this.valBuf = valBuf;
    }

    public int numSamples() { return count; }

    public long minT() { return minT; }

    public long maxT() { return maxT; }

    public ChunkIterator iterator(ChunkIterator reuse) {
        ChunkIterator it = reuse != null ? reuse : new ChunkIterator();
        return it.resetStreams(count, minT, maxT, tsMode, tsBuf, 0, valMode, valScale, valBuf);
    }
}
