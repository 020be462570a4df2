package tally.server.otlp;

import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import tally.model.Labels;
import tally.model.LabelsBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds a series' labels the way Prometheus's OTLP receiver does: data point attributes sorted by
 * key and sanitized (values of keys that collide after sanitizing are joined with ';'), then
 * promoted resource attributes where not already set, scope labels (when enabled), then
 * {@code job}/{@code instance} and the metric name, which always win.
 */
final class SeriesLabeler {
    private final LabelNamer labelNamer;
    private final LabelsBuilder builder = new LabelsBuilder();
    private final List<KeyValue> sorted = new ArrayList<>();

    SeriesLabeler(LabelNamer labelNamer) { this.labelNamer = labelNamer; }

    /** Scope labels ([name, value] pairs) for a scope, empty unless promote_scope_metadata is on. */
    List<String[]> scopeLabels(InstrumentationScope scope, String schemaUrl, TranslationSettings settings) {
        List<String[]> out = new ArrayList<>();
        if (!settings.promoteScopeMetadata()) return out;
        out.add(new String[] {"otel_scope_name", scope.getName()});
        out.add(new String[] {"otel_scope_version", scope.getVersion()});
        out.add(new String[] {"otel_scope_schema_url", schemaUrl});
        for (KeyValue kv : scope.getAttributesList()) {
            String n = labelNamer.name("otel_scope_" + kv.getKey());
            if (n != null) out.add(new String[] {n, AttributeValues.toLabelValue(kv.getValue())});
        }
        return out;
    }

    Labels labels(List<KeyValue> attributes, ResourceContext resource, List<String[]> scope, String metricName) {
        LabelsBuilder b = builder.clear();
        List<KeyValue> attrs = attributes;
        if (!isSorted(attributes)) {
            sorted.clear();
            sorted.addAll(attributes);
            sorted.sort((x, y) -> x.getKey().compareTo(y.getKey()));
            attrs = sorted;
        }
        for (int i = 0, n = attrs.size(); i < n; i++) {
            KeyValue kv = attrs.get(i);
            String name = labelNamer.name(kv.getKey());
            if (name == null) continue;
            String value = AttributeValues.toLabelValue(kv.getValue());
            String prev = b.get(name);
            b.set(name, prev == null ? value : prev + ";" + value);
        }
        for (String[] p : resource.promoted) {
            if (b.get(p[0]) == null) b.set(p[0], p[1]);
        }
        for (String[] s : scope) b.set(s[0], s[1]);
        if (resource.job != null) b.set("job", resource.job);
        if (resource.instance != null) b.set("instance", resource.instance);
        b.set(Labels.METRIC_NAME, metricName);
        return b.build();
    }

    private static boolean isSorted(List<KeyValue> attrs) {
        for (int i = 1; i < attrs.size(); i++) {
            if (attrs.get(i - 1).getKey().compareTo(attrs.get(i).getKey()) > 0) return false;
        }
        return true;
    }
}
