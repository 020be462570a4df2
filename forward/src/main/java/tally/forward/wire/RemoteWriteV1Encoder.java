package tally.forward.wire;

import java.util.List;
import java.util.Map;
import tally.model.Labels;
import tally.model.MetricMetadata;

/**
 * Remote-write 1.0: {@code prometheus.WriteRequest} (prompb/remote.proto, prompb/types.proto), written by hand.
 *
 * <pre>
 * WriteRequest   { repeated TimeSeries timeseries = 1; reserved 2; repeated MetricMetadata metadata = 3; }
 * TimeSeries     { repeated Label labels = 1; repeated Sample samples = 2; (exemplars = 3, histograms = 4: not sent) }
 * Label          { string name = 1; string value = 2; }
 * Sample         { double value = 1; int64 timestamp = 2; }
 * MetricMetadata { MetricType type = 1; string metric_family_name = 2; string help = 4; string unit = 5; }
 * </pre>
 *
 * Labels go in the label set's order (sorted by name, unique); labels with an empty value are left out (an empty
 * value means the label is absent). Proto3 defaults (a +0.0 value, timestamp 0, empty strings) are left out as
 * Prometheus's own marshalling does.
 *
 * <p>Neighbouring series mostly share labels (the metric name, job, instance...): a label equal to the previous
 * series' label at the same position is copied from where that one was written instead of being encoded again.
 */
public final class RemoteWriteV1Encoder extends AbstractEncoder {
    public static final String CONTENT_TYPE = "application/x-protobuf";
    public static final String VERSION = "0.1.0";

    /** Per label position: the last series' label there, and where its Label message is in the buffer. */
    private String[] prevName = new String[32];
    private String[] prevValue = new String[32];
    private int[] prevOffset = new int[32];
    private int[] prevLength = new int[32];

    @Override
    public ProtobufMessage message() { return ProtobufMessage.V1; }

    @Override
    public String contentType() { return CONTENT_TYPE; }

    @Override
    public String versionHeader() { return VERSION; }

    @Override
    public boolean sendsMetadataSeparately() { return true; }

    @Override
    public Payload encode(SendBatch b) {
        start();
        ProtoWriter w = out;
        java.util.Arrays.fill(prevName, null);
        java.util.Arrays.fill(prevValue, null);
        int seriesCount = b.series();
        for (int s = 0; s < seriesCount; s++) {
            w.tag(1, ProtoWriter.LEN);
            int ts = w.begin();
            Labels ls = b.labels(s);
            int n = ls.size();
            if (n > prevName.length) growPositions(n);
            int p = 0;
            for (int l = 0; l < n; l++) {
                String value = ls.value(l);
                if (value.isEmpty()) continue;
                String name = ls.name(l);
                int at = w.pos;
                if (same(name, prevName[p]) && same(value, prevValue[p])) {
                    w.copy(prevOffset[p], prevLength[p]);
                } else {
                    w.tag(1, ProtoWriter.LEN);
                    int label = w.begin();
                    w.stringIfNotEmpty(1, name);
                    w.string(2, value);
                    w.end(label);
                    prevName[p] = name;
                    prevValue[p] = value;
                }
                prevOffset[p] = at;
                prevLength[p] = w.pos - at;
                p++;
            }
            for (int i = b.firstSample(s); i >= 0; i = b.nextSample(i)) {
                w.sample(2, b.timestamp(i), b.valueBits(i));
            }
            int moved = w.end(ts);
            if (moved != 0) for (int i = 0; i < p; i++) prevOffset[i] += moved;
        }
        return finish(seriesCount, b.samples());
    }

    private static boolean same(String a, String prev) {
        return a == prev || (prev != null && a.equals(prev));
    }

    private void growPositions(int n) {
        prevName = java.util.Arrays.copyOf(prevName, n);
        prevValue = java.util.Arrays.copyOf(prevValue, n);
        prevOffset = java.util.Arrays.copyOf(prevOffset, n);
        prevLength = java.util.Arrays.copyOf(prevLength, n);
    }

    @Override
    public Payload encodeMetadata(List<Map.Entry<String, MetricMetadata>> metadata) {
        start();
        ProtoWriter w = out;
        for (Map.Entry<String, MetricMetadata> e : metadata) {
            MetricMetadata md = e.getValue();
            w.tag(3, ProtoWriter.LEN);
            int m = w.begin();
            int type = MetricTypes.number(md.type());
            if (type != 0) {
                w.tag(1, ProtoWriter.VARINT);
                w.varint32(type);
            }
            w.stringIfNotEmpty(2, e.getKey());
            if (md.help() != null) w.stringIfNotEmpty(4, md.help());
            if (md.unit() != null) w.stringIfNotEmpty(5, md.unit());
            w.end(m);
        }
        return finish(0, 0);
    }
}
