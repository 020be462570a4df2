package tally.bench.load;

import org.xerial.snappy.Snappy;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/** Prometheus remote-write 1.0: a WriteRequest protobuf, hand-encoded, then snappy block-compressed. */
final class RemoteWriteEncoder {
    private final ProtoWriter w = new ProtoWriter();
    private byte[] compressed = new byte[1 << 16];

    /** Returns the compressed body (a fresh array). */
    byte[] encode(List<Block> blocks) throws IOException {
        w.reset();
        for (Block b : blocks) {
            w.begin(1); // TimeSeries
            SeriesDef s = b.series;
            for (int i = 0; i < s.labelNames.length; i++) {
                w.begin(1);
                w.bytes(1, s.labelNames[i]);
                w.bytes(2, s.labelValues[i]);
                w.end();
            }
            for (int i = 0; i < b.n; i++) {
                w.begin(2);
                w.doubleField(1, b.values[i]);
                w.varint(2, b.ts[i]);
                w.end();
            }
            w.end();
        }
        int max = Snappy.maxCompressedLength(w.size());
        if (compressed.length < max) compressed = new byte[max];
        int n = Snappy.compress(w.array(), 0, w.size(), compressed, 0);
        return Arrays.copyOf(compressed, n);
    }
}
