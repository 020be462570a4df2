package tally.bench.ingest;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** Writes the pieces of a remote-write TimeSeries message (prometheus.Label, prometheus.Sample) for benchmark bodies. */
final class RemoteWriteWire {
    private RemoteWriteWire() {}

    /** TimeSeries field 1: one label. */
    static void label(CodedOutputStream timeSeries, String name, String value) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        CodedOutputStream l = CodedOutputStream.newInstance(b);
        l.writeString(1, name);
        l.writeString(2, value);
        l.flush();
        timeSeries.writeByteArray(1, b.toByteArray());
    }

    /** TimeSeries field 2: one sample. */
    static void sample(CodedOutputStream timeSeries, long t, double v) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(24);
        CodedOutputStream s = CodedOutputStream.newInstance(b);
        s.writeDouble(1, v);
        s.writeInt64(2, t);
        s.flush();
        timeSeries.writeByteArray(2, b.toByteArray());
    }
}
