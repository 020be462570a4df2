package tally.bench.load;

import java.util.ArrayList;
import java.util.List;

/** All samples of one request window (at most 15 simulated minutes), split by sender stream. */
final class Window {
    static final long LENGTH_MS = 15 * 60_000L;

    final int index;
    final long startMs;
    final List<List<Block>> streams;

    Window(int index, long startMs, int streamCount) {
        this.index = index;
        this.startMs = startMs;
        streams = new ArrayList<>(streamCount);
        for (int i = 0; i < streamCount; i++) streams.add(new ArrayList<>());
    }

    long endMs() {
        return startMs + LENGTH_MS;
    }

    long samples() {
        long n = 0;
        for (List<Block> s : streams) for (Block b : s) n += b.n;
        return n;
    }
}
