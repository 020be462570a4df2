package tally.server.grafana;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces Grafana's variables in a query the way Grafana does before the query reaches Tally.
 *
 * <p>Built-ins are substituted by Grafana's backend ({@code pkg/promlib/models/query.go}); the
 * defaults describe a 24 h dashboard range in a ~1000 px wide panel over the provisioned datasource
 * ({@code timeInterval: 60s}): the step is the 60 s minimum, so {@code $__interval} is {@code 1m},
 * and {@code $__rate_interval = max($__interval + 60s, 4 * 60s)} printed as a Go duration,
 * {@code 4m0s}. {@code $__range} is whole seconds with an {@code s} suffix.
 *
 * <p>Template variables are substituted by Grafana's frontend: a multi-value or include-All variable
 * becomes one regex-escaped value or an alternation {@code (a|b)}, and All becomes the variable's
 * {@code allValue} (the dashboards use {@code .*}). Unknown names such as {@code $1} in a
 * {@code label_replace} replacement are left alone, as Grafana leaves them.
 */
public record GrafanaVariables(long rangeSeconds, long intervalSeconds, long scrapeIntervalSeconds,
                               Map<String, List<String>> selections) {

    /** A 24 h range, 60 s step and 60 s datasource interval, every template variable on All. */
    public static final GrafanaVariables DEFAULTS = new GrafanaVariables(86_400, 60, 60, Map.of());

    // $name, ${name} and ${name:format}, [[name]]
    private static final Pattern VARIABLE = Pattern.compile("\\$(\\w+)|\\$\\{(\\w+)(?::[^}]*)?}|\\[\\[(\\w+)]]");

    /** The same settings with the step raised to at least {@code seconds} (a panel's "interval"). */
    public GrafanaVariables withMinInterval(long seconds) {
        return new GrafanaVariables(rangeSeconds, Math.max(intervalSeconds, seconds), scrapeIntervalSeconds, selections);
    }

    /** The same settings with these template variable values (an empty list means All). */
    public GrafanaVariables withSelections(Map<String, List<String>> values) {
        return new GrafanaVariables(rangeSeconds, intervalSeconds, scrapeIntervalSeconds, Map.copyOf(values));
    }

    /**
     * The query text Grafana would send.
     *
     * @param templateVariables the dashboard's template variables by name
     */
    public String substitute(String expr, Map<String, TemplateVariable> templateVariables) {
        Matcher m = VARIABLE.matcher(expr);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
            String value = builtin(name);
            if (value == null && templateVariables.containsKey(name)) {
                value = templateValue(templateVariables.get(name));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A Grafana built-in variable's value, or null when {@code name} is not one. */
    String builtin(String name) {
        switch (name) {
            case "__rate_interval":
                return goDuration(Math.max(intervalSeconds + scrapeIntervalSeconds, 4 * scrapeIntervalSeconds));
            case "__interval":
                return grafanaInterval(intervalSeconds);
            case "__interval_ms":
                return Long.toString(intervalSeconds * 1000);
            case "__range":
                return rangeSeconds + "s";
            case "__range_s":
                return Long.toString(rangeSeconds);
            case "__range_ms":
                return Long.toString(rangeSeconds * 1000);
            default:
                return null;
        }
    }

    private String templateValue(TemplateVariable variable) {
        List<String> chosen = selections.getOrDefault(variable.name(), List.of());
        if (chosen.isEmpty() || chosen.contains("$__all")) {
            return variable.allValue();
        }
        if (!variable.multi() && !variable.includeAll()) {
            return chosen.get(0);
        }
        if (chosen.size() == 1) {
            return regexEscape(chosen.get(0));
        }
        StringBuilder alternation = new StringBuilder("(");
        for (int i = 0; i < chosen.size(); i++) {
            alternation.append(i == 0 ? "" : "|").append(regexEscape(chosen.get(i)));
        }
        return alternation.append(')').toString();
    }

    /**
     * Grafana's {@code prometheusSpecialRegexEscape}: regex metacharacters get a backslash, written
     * doubled because the value lands inside a PromQL string literal.
     */
    static String regexEscape(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                out.append("\\\\\\\\");
            } else if ("$^*{}[]'+?.()|".indexOf(c) >= 0) {
                out.append("\\\\").append(c);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Go's {@code time.Duration.String()} for whole seconds: 4m0s, 1h0m0s, 45s. */
    static String goDuration(long seconds) {
        long h = seconds / 3600, m = seconds % 3600 / 60, s = seconds % 60;
        if (h > 0) {
            return h + "h" + m + "m" + s + "s";
        }
        if (m > 0) {
            return m + "m" + s + "s";
        }
        return s + "s";
    }

    /** Grafana's {@code gtime.FormatInterval}: truncated to the largest unit, e.g. 90 s is 1m, 1 h is 1h. */
    static String grafanaInterval(long seconds) {
        if (seconds >= 365 * 86_400L) {
            return seconds / (365 * 86_400L) + "y";
        }
        if (seconds >= 86_400) {
            return seconds / 86_400 + "d";
        }
        if (seconds >= 3600) {
            return seconds / 3600 + "h";
        }
        if (seconds >= 60) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }
}
