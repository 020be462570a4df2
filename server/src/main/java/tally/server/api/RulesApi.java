package tally.server.api;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import tally.model.Labels;
import tally.model.Matcher;
import tally.promql.parser.ParseException;
import tally.promql.parser.PromQLParser;
import tally.rules.eval.Alert;
import tally.rules.eval.AlertingRule;
import tally.rules.eval.RecordingRule;
import tally.rules.eval.Rule;
import tally.rules.eval.RuleGroup;

/**
 * {@code /api/v1/rules} and {@code /api/v1/alerts} in Prometheus's exact JSON: groups with their rules (alerting and
 * recording in file order), each rule's health and last evaluation, alerting rules with their active alerts; filters
 * {@code type}, {@code rule_name[]}, {@code rule_group[]}, {@code file[]}, {@code match[]} (on rule labels) and
 * {@code exclude_alerts}. Grafana's alert-rules view for a Prometheus datasource reads both.
 */
public final class RulesApi {
    /** Go's time.Time JSON: RFC 3339 with as many fractional digits as needed. */
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ISO_INSTANT;
    private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private final Supplier<List<RuleGroup>> groups;

    public RulesApi(Supplier<List<RuleGroup>> groups) {
        this.groups = groups;
    }

    public ApiResponse rules(ApiParams p) {
        String type = p.get("type") == null ? "" : p.get("type").toLowerCase(Locale.ROOT);
        if (!type.isEmpty() && !type.equals("alert") && !type.equals("record")) {
            throw ApiError.badData("invalid parameter \"type\": not supported value \"" + type + "\"");
        }
        boolean excludeAlerts = bool(p.get("exclude_alerts"));
        Set<String> names = new HashSet<>(p.all("rule_name[]"));
        Set<String> groupNames = new HashSet<>(p.all("rule_group[]"));
        Set<String> files = new HashSet<>(p.all("file[]"));
        List<List<Matcher>> matcherSets = new ArrayList<>();
        for (String m : p.all("match[]")) {
            try {
                matcherSets.add(PromQLParser.parseSeriesSelector(m));
            } catch (ParseException e) {
                throw ApiError.badData(e.getMessage());
            }
        }
        JsonOut out = ApiResponse.begin().raw("{\"groups\":[");
        boolean firstGroup = true;
        for (RuleGroup g : groups.get()) {
            if (!groupNames.isEmpty() && !groupNames.contains(g.name())) continue;
            if (!files.isEmpty() && !files.contains(g.file())) continue;
            JsonOut rules = new JsonOut();
            int n = 0;
            for (Rule r : g.rules()) {
                if (!names.isEmpty() && !names.contains(r.name())) continue;
                if (!matchesAny(matcherSets, r.labels())) continue;
                boolean alerting = r instanceof AlertingRule;
                if (alerting ? type.equals("record") : type.equals("alert")) continue;
                if (n++ > 0) rules.raw(',');
                if (r instanceof AlertingRule ar) alertingRule(rules, ar, excludeAlerts);
                else recordingRule(rules, (RecordingRule) r);
            }
            if (n == 0) continue; // every rule of the group filtered out
            if (!firstGroup) out.raw(',');
            firstGroup = false;
            out.raw("{\"name\":").str(g.name()).raw(",\"file\":").str(g.file()).raw(",\"rules\":[");
            out.raw(new String(rules.toBytes(), java.nio.charset.StandardCharsets.UTF_8));
            out.raw("],\"interval\":").raw(seconds(g.intervalMillis() * 1_000_000L)).raw(",\"limit\":").raw(Integer.toString(g.limit()));
            out.raw(",\"evaluationTime\":").raw(seconds(g.evaluationNanos()));
            out.raw(",\"lastEvaluation\":").str(time(g.lastEvaluationMillis())).raw('}');
        }
        return ApiResponse.finish(out.raw("]}"));
    }

    public ApiResponse alerts(ApiParams p) {
        JsonOut out = ApiResponse.begin().raw("{\"alerts\":[");
        boolean first = true;
        for (RuleGroup g : groups.get()) {
            for (Rule r : g.rules()) {
                if (!(r instanceof AlertingRule ar)) continue;
                for (Alert a : ar.activeAlerts()) {
                    if (!first) out.raw(',');
                    first = false;
                    alert(out, a);
                }
            }
        }
        return ApiResponse.finish(out.raw("]}"));
    }

    private static void alertingRule(JsonOut out, AlertingRule r, boolean excludeAlerts) {
        out.raw("{\"state\":").str(r.state() == tally.rules.eval.AlertState.UNKNOWN ? "inactive" : r.state().apiName());
        out.raw(",\"name\":").str(r.name()).raw(",\"query\":").str(r.query());
        out.raw(",\"duration\":").raw(seconds(r.holdMillis() * 1_000_000L));
        out.raw(",\"keepFiringFor\":").raw(seconds(r.keepFiringForMillis() * 1_000_000L));
        out.raw(",\"labels\":");
        labels(out, r.labels());
        out.raw(",\"annotations\":");
        map(out, r.annotations());
        out.raw(",\"alerts\":");
        if (excludeAlerts) {
            out.raw("null");
        } else {
            out.raw('[');
            List<Alert> alerts = r.activeAlerts();
            for (int i = 0; i < alerts.size(); i++) {
                if (i > 0) out.raw(',');
                alert(out, alerts.get(i));
            }
            out.raw(']');
        }
        common(out, r);
        out.raw(",\"type\":\"alerting\"}");
    }

    private static void recordingRule(JsonOut out, RecordingRule r) {
        out.raw("{\"name\":").str(r.name()).raw(",\"query\":").str(r.query()).raw(",\"labels\":");
        labels(out, r.labels());
        common(out, r);
        out.raw(",\"type\":\"recording\"}");
    }

    /** health, lastError (when set), evaluationTime, lastEvaluation: shared by both kinds. */
    private static void common(JsonOut out, Rule r) {
        out.raw(",\"health\":").str(r.health().name().toLowerCase(Locale.ROOT));
        if (r.lastError() != null) out.raw(",\"lastError\":").str(r.lastError());
        out.raw(",\"evaluationTime\":").raw(seconds(r.evaluationNanos()));
        out.raw(",\"lastEvaluation\":").str(time(r.lastEvaluationMillis()));
    }

    private static void alert(JsonOut out, Alert a) {
        out.raw("{\"labels\":");
        labels(out, a.labels());
        out.raw(",\"annotations\":");
        map(out, a.annotations());
        out.raw(",\"state\":").str(a.state().apiName());
        out.raw(",\"activeAt\":").str(time(a.activeAt()));
        if (a.keepFiringSince() != Alert.UNSET) out.raw(",\"keepFiringSince\":").str(time(a.keepFiringSince()));
        out.raw(",\"value\":").str(goExp(a.value())).raw('}');
    }

    private static void labels(JsonOut out, Labels l) {
        out.raw('{');
        for (int i = 0; i < l.size(); i++) {
            if (i > 0) out.raw(',');
            out.str(l.name(i)).raw(':').str(l.value(i));
        }
        out.raw('}');
    }

    private static void map(JsonOut out, Map<String, String> m) {
        out.raw('{');
        boolean first = true;
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(m).entrySet()) {
            if (!first) out.raw(',');
            first = false;
            out.str(e.getKey()).raw(':').str(e.getValue());
        }
        out.raw('}');
    }

    private static boolean matchesAny(List<List<Matcher>> sets, Labels labels) {
        if (sets.isEmpty()) return true;
        for (List<Matcher> set : sets) {
            boolean all = true;
            for (Matcher m : set) {
                if (!m.matches(labels.getOrEmpty(m.name()))) {
                    all = false;
                    break;
                }
            }
            if (all) return true;
        }
        return false;
    }

    private static boolean bool(String v) {
        if (v == null || v.isEmpty()) return false;
        if (v.equalsIgnoreCase("true") || v.equals("1") || v.equalsIgnoreCase("t")) return true;
        if (v.equalsIgnoreCase("false") || v.equals("0") || v.equalsIgnoreCase("f")) return false;
        throw ApiError.badData("invalid parameter \"exclude_alerts\": error converting exclude_alerts: strconv.ParseBool: parsing \"" + v + "\": invalid syntax");
    }

    /** A duration in seconds as Go prints a float64 in JSON (shortest form). */
    private static String seconds(long nanos) {
        double s = nanos / 1e9;
        return JsonOut.formatValue(s);
    }

    private static String time(long ms) {
        if (ms == Alert.UNSET || ms == 0) return ZERO_TIME;
        return RFC3339.format(Instant.ofEpochMilli(ms));
    }

    /** Go's strconv.FormatFloat(v, 'e', -1, 64): "1e+00", "1.5e+01", "NaN", "+Inf". */
    static String goExp(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        if (v == 0) return (Double.doubleToRawLongBits(v) < 0 ? "-" : "") + "0e+00";
        java.math.BigDecimal d = new java.math.BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        int exp = digits.length() - 1 - d.scale();
        StringBuilder sb = new StringBuilder(v < 0 ? "-" : "");
        sb.append(digits.charAt(0));
        if (digits.length() > 1) sb.append('.').append(digits, 1, digits.length());
        sb.append('e').append(exp < 0 ? '-' : '+');
        if (Math.abs(exp) < 10) sb.append('0');
        return sb.append(Math.abs(exp)).toString();
    }
}
