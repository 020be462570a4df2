package tally.server.testing;

import org.xerial.snappy.Snappy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.NavigableMap;

/**
 * Test-only encoder of prompb.WriteRequest (remote-write 1.0), protobuf written by hand and snappy
 * block-compressed, so the same bytes can be sent to Prometheus and to Tally.
 * WriteRequest{timeseries=1}; TimeSeries{labels=1, samples=2}; Label{name=1, value=2}; Sample{value=1 double, timestamp=2 int64}.
 */
public final class RemoteWriteEncoder {
    private RemoteWriteEncoder() {}

    /** @param series labels (with {@code __name__}, sorted by name) to samples (ms -> value) */
    public static byte[] encode(Map<Map<String, String>, NavigableMap<Long, Double>> series) throws IOException {
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        for (Map.Entry<Map<String, String>, NavigableMap<Long, Double>> e : series.entrySet()) {
            ByteArrayOutputStream ts = new ByteArrayOutputStream();
            for (Map.Entry<String, String> l : new java.util.TreeMap<>(e.getKey()).entrySet()) {
                ByteArrayOutputStream label = new ByteArrayOutputStream();
                bytes(label, 1, l.getKey().getBytes(StandardCharsets.UTF_8));
                bytes(label, 2, l.getValue().getBytes(StandardCharsets.UTF_8));
                bytes(ts, 1, label.toByteArray());
            }
            for (Map.Entry<Long, Double> s : e.getValue().entrySet()) {
                ByteArrayOutputStream sample = new ByteArrayOutputStream();
                varint(sample, (1 << 3) | 1);
                long bits = Double.doubleToRawLongBits(s.getValue());
                for (int i = 0; i < 8; i++) sample.write((int) (bits >>> (8 * i)));
                varint(sample, 2 << 3);
                varint(sample, s.getKey());
                bytes(ts, 2, sample.toByteArray());
            }
            bytes(req, 1, ts.toByteArray());
        }
        return Snappy.compress(req.toByteArray());
    }

    private static void bytes(ByteArrayOutputStream out, int field, byte[] b) {
        varint(out, (field << 3) | 2);
        varint(out, b.length);
        out.writeBytes(b);
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
