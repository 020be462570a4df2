package tally.bench.soak;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.xerial.snappy.Snappy;

import tally.bench.load.ProtoWriter;

/** Request bodies for one user's export, hand-encoded protobuf (the load generator's writer). */
final class Encoders {
    private static final String[] RESOURCE = {"service.name", "claude-code", "service.version", "2.1.330", "os.type", "linux", "host.arch", "amd64"};

    private Encoders() {}

    /** Prometheus remote-write 1.0 WriteRequest, snappy block-compressed. */
    static byte[] remoteWrite(List<SoakUser.Point> points) throws IOException {
        ProtoWriter w = new ProtoWriter();
        for (SoakUser.Point p : points) {
            w.begin(1); // TimeSeries
            String[] l = sorted(p.series().labels);
            for (int i = 0; i < l.length; i += 2) {
                w.begin(1);
                w.string(1, l[i]);
                w.string(2, l[i + 1]);
                w.end();
            }
            w.begin(2);
            w.doubleField(1, p.value());
            w.varint(2, p.t());
            w.end();
            w.end();
        }
        return Snappy.compress(w.toByteArray());
    }

    private static String[] sorted(String[] labels) {
        List<String[]> pairs = new ArrayList<>();
        for (int i = 0; i < labels.length; i += 2) pairs.add(new String[] {labels[i], labels[i + 1]});
        pairs.sort((a, b) -> a[0].compareTo(b[0]));
        String[] out = new String[labels.length];
        for (int i = 0; i < pairs.size(); i++) {
            out[2 * i] = pairs.get(i)[0];
            out[2 * i + 1] = pairs.get(i)[1];
        }
        return out;
    }

    /** ExportMetricsServiceRequest: one resource (the Claude Code process), one Sum per metric name. */
    static byte[] otlpMetrics(List<SoakUser.Point> points, boolean delta) {
        ProtoWriter w = new ProtoWriter();
        w.begin(1); // ResourceMetrics
        resource(w);
        w.begin(2); // ScopeMetrics
        w.begin(1);
        w.string(1, "com.anthropic.claude_code");
        w.string(2, "2.1.330");
        w.end();
        Map<String, List<SoakUser.Point>> byName = new LinkedHashMap<>();
        for (SoakUser.Point p : points) byName.computeIfAbsent(p.metric().otlpName, k -> new ArrayList<>()).add(p);
        for (List<SoakUser.Point> ps : byName.values()) {
            SoakUser.Metric m = ps.get(0).metric();
            w.begin(2); // Metric
            w.string(1, m.otlpName);
            if (!m.unit.isEmpty()) w.string(3, m.unit);
            w.begin(7); // Sum
            for (SoakUser.Point p : ps) {
                w.begin(1); // NumberDataPoint
                w.fixed64(2, p.startMs() * 1_000_000L);
                w.fixed64(3, p.t() * 1_000_000L);
                w.doubleField(4, p.value());
                String[] a = p.metric().attrs;
                for (int i = 0; i < a.length; i += 2) keyValue(w, 7, a[i], a[i + 1]);
                w.end();
            }
            w.varint(2, delta ? 1 : 2); // AGGREGATION_TEMPORALITY_DELTA / CUMULATIVE
            w.bool(3, true);
            w.end();
            w.end();
        }
        w.end();
        w.end();
        return w.toByteArray();
    }

    /** ExportLogsServiceRequest with Claude Code's event records (scope com.anthropic.claude_code.events). */
    static byte[] otlpLogs(SoakUser user, List<SoakUser.Event> events) {
        ProtoWriter w = new ProtoWriter();
        w.begin(1); // ResourceLogs
        resource(w);
        w.begin(2); // ScopeLogs
        w.begin(1);
        w.string(1, "com.anthropic.claude_code.events");
        w.string(2, "2.1.330");
        w.end();
        for (SoakUser.Event e : events) {
            w.begin(2); // LogRecord
            w.fixed64(1, e.t() * 1_000_000L);
            w.fixed64(11, e.t() * 1_000_000L);
            w.begin(5);
            w.string(1, "claude_code." + e.name());
            w.end();
            keyValue(w, 6, "event.name", e.name());
            keyValue(w, 6, "event.timestamp", java.time.Instant.ofEpochMilli(e.t()).toString());
            keyValue(w, 6, "session.id", e.sessionId());
            w.begin(6); // event.sequence as an int, as Claude Code sends it
            w.string(1, "event.sequence");
            w.begin(2);
            w.varint(3, e.sequence());
            w.end();
            w.end();
            keyValue(w, 6, "user.id", user.id);
            keyValue(w, 6, "organization.id", user.org);
            keyValue(w, 6, "terminal.type", "vscode");
            for (int i = 0; i < e.attrs().length; i += 2) keyValue(w, 6, e.attrs()[i], e.attrs()[i + 1]);
            w.end();
        }
        w.end();
        w.end();
        return w.toByteArray();
    }

    private static void resource(ProtoWriter w) {
        w.begin(1);
        for (int i = 0; i < RESOURCE.length; i += 2) keyValue(w, 1, RESOURCE[i], RESOURCE[i + 1]);
        w.end();
    }

    private static void keyValue(ProtoWriter w, int field, String key, String value) {
        w.begin(field);
        w.string(1, key);
        w.begin(2);
        w.string(1, value);
        w.end();
        w.end();
    }
}
