package tally.server.otlp;

import tally.model.Labels;
import tally.model.LabelsBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds a series' labels the way Prometheus's OTLP receiver does: data point attributes sorted by
 * key and sanitized (values of keys that collide after sanitizing are joined with ';'), then
 * promoted resource attributes where not already set, scope labels (when enabled), then
 * {@code job}/{@code instance} and the metric name, which always win. Also labels the series derived
 * from Claude Code's events, so they carry the same identity labels as the metrics Claude Code sends.
 */
public final class SeriesLabeler {
    private final LabelNamer labelNamer;
    private final LabelsBuilder builder = new LabelsBuilder();
    // The previous call's inputs (attributes as received, before sorting) and result: consecutive points
    // of one series (a cumulative export's points in time order) get the same Labels object back, which
    // also lets the ingest batch skip the series lookup. Resources and scopes are compared by identity:
    // each one is a new object.
    private final AttrList lastAttrs = new AttrList();
    private ResourceContext lastResource;
    private List<String[]> lastScope;
    private String lastName;
    private Labels lastLabels;

    public SeriesLabeler(LabelNamer labelNamer) { this.labelNamer = labelNamer; }

    /** Scope labels ([name, value] pairs) for a scope, empty unless promote_scope_metadata is on. */
    public List<String[]> scopeLabels(String name, String version, String schemaUrl, AttrList attrs, TranslationSettings settings) {
        List<String[]> out = new ArrayList<>();
        if (!settings.promoteScopeMetadata()) return out;
        out.add(new String[] {"otel_scope_name", name});
        out.add(new String[] {"otel_scope_version", version});
        out.add(new String[] {"otel_scope_schema_url", schemaUrl});
        for (int i = 0; i < attrs.size(); i++) {
            String n = labelNamer.name("otel_scope_" + attrs.key(i));
            if (n != null) out.add(new String[] {n, attrs.value(i)});
        }
        return out;
    }

    /** Sorts {@code attrs} in place. */
    public Labels labels(AttrList attrs, ResourceContext resource, List<String[]> scope, String metricName) {
        if (lastLabels != null && resource == lastResource && scope == lastScope && metricName.equals(lastName)
                && sameAttrs(attrs)) {
            return lastLabels;
        }
        lastAttrs.clear();
        for (int i = 0, n = attrs.size(); i < n; i++) lastAttrs.add(attrs.key(i), attrs.value(i));
        Labels built = build(attrs, resource, scope, metricName);
        lastResource = resource;
        lastScope = scope;
        lastName = metricName;
        lastLabels = built;
        return built;
    }

    private boolean sameAttrs(AttrList attrs) {
        int n = attrs.size();
        if (n != lastAttrs.size()) return false;
        for (int i = 0; i < n; i++) {
            if (!attrs.key(i).equals(lastAttrs.key(i)) || !attrs.value(i).equals(lastAttrs.value(i))) return false;
        }
        return true;
    }

    private Labels build(AttrList attrs, ResourceContext resource, List<String[]> scope, String metricName) {
        LabelsBuilder b = builder.clear();
        attrs.sortByKey();
        for (int i = 0, n = attrs.size(); i < n; i++) {
            String name = labelNamer.name(attrs.key(i));
            if (name == null) continue;
            String value = attrs.value(i);
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
}
