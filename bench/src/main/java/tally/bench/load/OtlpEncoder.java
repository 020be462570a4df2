package tally.bench.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OTLP ExportMetricsServiceRequest, hand-encoded: one ResourceMetrics per resource (process), one Metric per
 * metric name, the points of every series of that metric in the window. Counters are monotonic Sums,
 * cumulative (start = the series' first sample) or delta like Claude Code's default: a point only when
 * the counter moved, its start the previous export when the series had one there, else the current interval's start.
 */
final class OtlpEncoder {
    static final long EXPORT_INTERVAL_MS = 60_000L;
    private static final int CUMULATIVE = 2;
    private static final int DELTA = 1;

    private final boolean delta;
    private final ProtoWriter w = new ProtoWriter();
    private int points;

    OtlpEncoder(boolean delta) {
        this.delta = delta;
    }

    /** Data points in the last encoded request. */
    int points() {
        return points;
    }

    byte[] encode(List<Block> blocks) {
        w.reset();
        points = 0;
        Map<OtlpResource, Map<String, List<Block>>> byResource = new LinkedHashMap<>();
        for (Block b : blocks) {
            byResource.computeIfAbsent(b.series.resource, r -> new LinkedHashMap<>())
                    .computeIfAbsent(b.series.otlpName, n -> new ArrayList<>()).add(b);
        }
        for (Map.Entry<OtlpResource, Map<String, List<Block>>> e : byResource.entrySet()) {
            OtlpResource r = e.getKey();
            w.begin(1); // ResourceMetrics
            w.begin(1); // Resource
            for (int i = 0; i < r.keys.length; i++) keyValue(1, r.keys[i], r.values[i]);
            w.end();
            w.begin(2); // ScopeMetrics
            w.begin(1);
            w.string(1, r.scopeName);
            w.string(2, r.scopeVersion);
            w.end();
            for (List<Block> metric : e.getValue().values()) metric(metric);
            w.end();
            w.end();
        }
        return w.toByteArray();
    }

    private void metric(List<Block> blocks) {
        SeriesDef first = blocks.get(0).series;
        int start = w.size();
        w.begin(2); // Metric
        w.string(1, first.otlpName);
        if (!first.otlpUnit.isEmpty()) w.string(3, first.otlpUnit);
        int before = points;
        if (first.counter) {
            w.begin(7); // Sum
            for (Block b : blocks) {
                if (delta) deltaPoints(b); else cumulativePoints(b);
            }
            w.varint(2, delta ? DELTA : CUMULATIVE);
            w.bool(3, true);
            w.end();
        } else {
            w.begin(5); // Gauge
            for (Block b : blocks) cumulativePoints(b);
            w.end();
        }
        w.end();
        if (points == before) w.truncate(start); // a delta metric with no movement is not exported
    }

    private void cumulativePoints(Block b) {
        long startNs = b.series.startMs * 1_000_000L;
        for (int i = 0; i < b.n; i++) point(b.series, b.series.counter ? startNs : 0, b.ts[i], b.values[i]);
    }

    private void deltaPoints(Block b) {
        SeriesDef s = b.series;
        for (int i = 0; i < b.n; i++) {
            double d = b.values[i] - s.deltaBase;
            if (d == 0 && s.deltaLastMs != Long.MIN_VALUE) continue;
            long t = b.ts[i];
            long startMs = s.deltaLastMs == t - EXPORT_INTERVAL_MS ? s.deltaLastMs : t - EXPORT_INTERVAL_MS / 2;
            point(s, startMs * 1_000_000L, t, d);
            s.deltaBase = b.values[i];
            s.deltaLastMs = t;
        }
    }

    private void point(SeriesDef s, long startNs, long tMs, double v) {
        w.begin(1); // NumberDataPoint
        if (startNs != 0) w.fixed64(2, startNs);
        w.fixed64(3, tMs * 1_000_000L);
        w.doubleField(4, v);
        for (int i = 0; i < s.attrKeys.length; i++) keyValue(7, s.attrKeys[i], s.attrValues[i]);
        w.end();
        points++;
    }

    private void keyValue(int field, byte[] key, byte[] value) {
        w.begin(field);
        w.bytes(1, key);
        w.begin(2);
        w.bytes(1, value);
        w.end();
        w.end();
    }
}
