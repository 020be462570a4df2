package tally.server.fuzz;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.util.List;

/**
 * Prometheus rule files from jqwik arbitraries: groups with interval, query_offset, limit and labels; recording and
 * alerting rules with expressions from {@link PromqlGen}, for, keep_firing_for, labels and annotations whose values are
 * Go templates of the kinds Prometheus's documentation and community rules use. Written as YAML text, block or flow
 * style, with quoting chosen per value.
 */
final class RuleFileGen {
    static final List<String> TEMPLATES = List.of("{{ $labels.instance }} is down", "{{ $value | humanize }}",
            "{{ printf \"%.2f\" $value }}", "{{ humanizeDuration $value }}", "{{ $externalURL }}/graph",
            "{{ if gt $value 1.0 }}high{{ else }}low{{ end }}", "{{ define \"x\" }}y{{ end }}{{ template \"x\" }}",
            "{{ reReplaceAll \"(a+)\" \"$1\" $labels.job }}", "{{ toUpper $labels.job }}", "{{ $x := 1 }}{{ $x }}",
            "{{ index $labels \"job\" }}", "{{ len $labels }}", "{{ title \"x\" }}", "{{ humanize1024 1024 }}",
            "{{ humanizePercentage 0.5 }}", "{{ humanizeTimestamp 1.7e9 }}", "{{ toTime 1 }}", "{{ parseDuration \"1m\" }}",
            "{{ stripPort \"a:1\" }}", "{{ match \"a.*\" \"abc\" }}", "{{ range query \"up\" }}{{ .Labels.instance }} {{ .Value }}{{ end }}",
            "{{ with query \"fuzz_gauge\" }}{{ . | first | value | humanize }}{{ end }}", "{{ range $k, $v := $labels }}{{ $k }}={{ $v }},{{ end }}",
            "{{ and 1 0 }}{{ or 0 1 }}{{ not true }}{{ eq 1 1 }}{{ lt 1 2 }}", "{{ slice \"abcd\" 1 3 }}", "{{ html \"<b>\" }}",
            "{{ js \"'\" }}", "{{ urlquery \"a b\" }}", "{{ print 1 2 }}{{ println }}", "{{/* a comment */}}", "{{- \" trim \" -}}",
            "{{ $externalLabels.cluster }}", "{{ safeHtml \"<i>\" }}", "{{ graphLink \"up\" }}", "{{ tableLink \"up\" }}",
            "{{ sortByLabel \"instance\" (query \"up\") }}", "{{ label \"job\" (query \"up\" | first) }}", "{{ pathPrefix }}",
            "{{ humanize \"NaN\" }}", "{{ 1e400 }}", "{{ printf \"%*d\" 99999 1 }}", "{{ range 3 }}.{{ end }}", "plain text", "");

    private RuleFileGen() {}

    static Arbitrary<String> files(PromqlGen promql) {
        Arbitrary<String> name = Arbitraries.of("CostHigh", "fuzz:rate5m", "job:up:sum", "Instance Down", "x", "level:metric:op", "");
        Arbitrary<String> duration = Arbitraries.of("1m", "5m", "0s", "30s", "1h", "10x", "-1m", "1d2h");
        Arbitrary<String> template = Arbitraries.of(TEMPLATES);
        Arbitrary<String> pairs = Combinators.combine(Arbitraries.of("severity", "team", "summary", "description", "__name__", "job", ""),
                template).as((k, v) -> k + ": " + quote(v)).list().ofMaxSize(3).map(l -> block(l, "        "));
        Arbitrary<String> rule = Combinators.combine(Arbitraries.of(true, false), name, promql.vector(), duration.injectNull(0.6),
                duration.injectNull(0.85), pairs.injectNull(0.5), pairs.injectNull(0.5)).as((alert, n, expr, forDur, keep, labels, annotations) -> {
                    StringBuilder r = new StringBuilder("      - ").append(alert ? "alert: " : "record: ").append(quote(n)).append('\n')
                            .append("        expr: ").append(quote(expr)).append('\n');
                    if (forDur != null) r.append("        for: ").append(forDur).append('\n');
                    if (keep != null) r.append("        keep_firing_for: ").append(keep).append('\n');
                    if (labels != null) r.append("        labels:\n").append(labels);
                    if (annotations != null) r.append("        annotations:\n").append(annotations);
                    return r.toString();
                });
        Arbitrary<String> group = Combinators.combine(Arbitraries.of("claude", "fuzz", "g", "", "a b"), duration.injectNull(0.5),
                duration.injectNull(0.8), Arbitraries.of("0", "10", "-1", "x").injectNull(0.8), rule.list().ofMaxSize(4))
                .as((n, interval, offset, limit, rules) -> {
                    StringBuilder g = new StringBuilder("  - name: ").append(quote(n)).append('\n');
                    if (interval != null) g.append("    interval: ").append(interval).append('\n');
                    if (offset != null) g.append("    query_offset: ").append(offset).append('\n');
                    if (limit != null) g.append("    limit: ").append(limit).append('\n');
                    g.append("    rules:\n");
                    for (String r : rules) g.append(r);
                    return g.toString();
                });
        return group.list().ofMaxSize(3).map(groups -> "groups:\n" + String.join("", groups));
    }

    private static String block(List<String> pairs, String indent) {
        StringBuilder b = new StringBuilder();
        for (String p : pairs) b.append(indent).append(p).append('\n');
        return b.toString();
    }

    /** A YAML double-quoted scalar (escapes for quotes and backslashes), so any PromQL or template fits. */
    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
