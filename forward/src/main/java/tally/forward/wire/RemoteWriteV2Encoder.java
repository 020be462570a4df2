package tally.forward.wire;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import tally.model.Labels;
import tally.model.MetricMetadata;

/**
 * Remote-write 2.0: {@code io.prometheus.write.v2.Request} (prompb/io/prometheus/write/v2/types.proto), written by
 * hand.
 *
 * <pre>
 * Request    { reserved 1 to 3; repeated string symbols = 4; repeated TimeSeries timeseries = 5; }
 * TimeSeries { repeated uint32 labels_refs = 1; repeated Sample samples = 2; (histograms = 3, exemplars = 4: not sent)
 *              Metadata metadata = 5; }
 * Sample     { double value = 1; int64 timestamp = 2; (start_timestamp = 3: not sent) }
 * Metadata   { MetricType type = 1; uint32 help_ref = 3; uint32 unit_ref = 4; }
 * </pre>
 *
 * Two passes: the first builds the symbol table ({@code symbols[0] = ""}, then each distinct string in first-use
 * order) and every series' label refs, the second writes the symbols before the series (field order, so a receiver
 * that reads in one pass knows every symbol before its first use). Labels with an empty value are left out; a series
 * without metadata is sent without the field (type unspecified, no help, no unit).
 */
public final class RemoteWriteV2Encoder extends AbstractEncoder {
    public static final String CONTENT_TYPE = "application/x-protobuf;proto=io.prometheus.write.v2.Request";
    public static final String VERSION = "2.0.0";

    private final SymbolTable symbols = new SymbolTable();
    /** Label refs of all series, flat; series s's are refs[refStart[s] .. refStart[s + 1]). */
    private int[] refs = new int[4096];
    private int[] refStart = new int[257];
    /** Per series: metadata type, help ref, unit ref; type -1 = no metadata. */
    private int[] mdType = new int[256];
    private int[] helpRef = new int[256];
    private int[] unitRef = new int[256];
    /** Per label position: the last series' name and value there and their refs (neighbours mostly share labels). */
    private String[] prevName = new String[32];
    private String[] prevValue = new String[32];
    private int[] prevNameRef = new int[32];
    private int[] prevValueRef = new int[32];

    @Override
    public ProtobufMessage message() { return ProtobufMessage.V2; }

    @Override
    public String contentType() { return CONTENT_TYPE; }

    @Override
    public String versionHeader() { return VERSION; }

    @Override
    public boolean sendsMetadataSeparately() { return false; }

    @Override
    public Payload encodeMetadata(List<Map.Entry<String, MetricMetadata>> metadata) {
        throw new UnsupportedOperationException("remote-write 2.0 sends metadata with each series, not in requests of its own");
    }

    @Override
    public Payload encode(SendBatch b) {
        int seriesCount = b.series();
        symbolize(b, seriesCount);
        start();
        ProtoWriter w = out;
        for (int i = 0, n = symbols.size(); i < n; i++) w.string(4, symbols.get(i));
        for (int s = 0; s < seriesCount; s++) {
            w.tag(5, ProtoWriter.LEN);
            int ts = w.begin();
            int from = refStart[s], to = refStart[s + 1];
            if (to > from) {
                int len = 0;
                for (int i = from; i < to; i++) len += ProtoWriter.varintSize32(refs[i]);
                w.tag(1, ProtoWriter.LEN);
                w.varint32(len);
                for (int i = from; i < to; i++) w.varint32(refs[i]);
            }
            for (int i = b.firstSample(s); i >= 0; i = b.nextSample(i)) {
                w.sample(2, b.timestamp(i), b.valueBits(i));
            }
            int type = mdType[s];
            if (type >= 0) {
                int size = (type != 0 ? 1 + ProtoWriter.varintSize32(type) : 0)
                        + (helpRef[s] != 0 ? 1 + ProtoWriter.varintSize32(helpRef[s]) : 0)
                        + (unitRef[s] != 0 ? 1 + ProtoWriter.varintSize32(unitRef[s]) : 0);
                w.tag(5, ProtoWriter.LEN);
                w.varint32(size);
                if (type != 0) {
                    w.tag(1, ProtoWriter.VARINT);
                    w.varint32(type);
                }
                if (helpRef[s] != 0) {
                    w.tag(3, ProtoWriter.VARINT);
                    w.varint32(helpRef[s]);
                }
                if (unitRef[s] != 0) {
                    w.tag(4, ProtoWriter.VARINT);
                    w.varint32(unitRef[s]);
                }
            }
            w.end(ts);
        }
        symbols.reset();
        return finish(seriesCount, b.samples());
    }

    private static boolean same(String a, String prev) {
        return a == prev || (prev != null && a.equals(prev));
    }

    /** First pass: the symbol table, each series' label refs and metadata refs. */
    private void symbolize(SendBatch b, int seriesCount) {
        symbols.reset();
        if (refStart.length < seriesCount + 1) refStart = new int[Math.max(seriesCount + 1, refStart.length * 2)];
        if (mdType.length < seriesCount) {
            int n = Math.max(seriesCount, mdType.length * 2);
            mdType = new int[n];
            helpRef = new int[n];
            unitRef = new int[n];
        }
        Arrays.fill(prevName, null);
        Arrays.fill(prevValue, null);
        int r = 0;
        for (int s = 0; s < seriesCount; s++) {
            refStart[s] = r;
            Labels ls = b.labels(s);
            int n = ls.size();
            if (r + 2 * n > refs.length) refs = Arrays.copyOf(refs, Math.max(r + 2 * n, refs.length * 2));
            if (n > prevName.length) {
                prevName = Arrays.copyOf(prevName, n);
                prevValue = Arrays.copyOf(prevValue, n);
                prevNameRef = Arrays.copyOf(prevNameRef, n);
                prevValueRef = Arrays.copyOf(prevValueRef, n);
            }
            int p = 0;
            for (int l = 0; l < n; l++) {
                String value = ls.value(l);
                if (value.isEmpty()) continue;
                String name = ls.name(l);
                if (!same(name, prevName[p])) {
                    prevName[p] = name;
                    prevNameRef[p] = symbols.ref(name);
                }
                if (!same(value, prevValue[p])) {
                    prevValue[p] = value;
                    prevValueRef[p] = symbols.ref(value);
                }
                refs[r++] = prevNameRef[p];
                refs[r++] = prevValueRef[p];
                p++;
            }
            MetricMetadata md = b.metadata(s);
            if (md == null) {
                mdType[s] = -1;
            } else {
                mdType[s] = MetricTypes.number(md.type());
                helpRef[s] = md.help() == null ? 0 : symbols.ref(md.help());
                unitRef[s] = md.unit() == null ? 0 : symbols.ref(md.unit());
            }
        }
        refStart[seriesCount] = r;
    }
}
