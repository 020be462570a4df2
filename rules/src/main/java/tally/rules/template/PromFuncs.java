package tally.rules.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tally.rules.template.Func.CallError;
import tally.rules.template.GoValues.GoDuration;
import tally.rules.template.GoValues.GoInt;
import tally.rules.template.GoValues.GoMap;
import tally.rules.template.GoValues.GoNamedString;
import tally.rules.template.GoValues.GoPtr;
import tally.rules.template.GoValues.GoSlice;
import tally.rules.template.GoValues.GoStruct;
import tally.rules.template.GoValues.GoTime;

/**
 * Prometheus's template functions (template.NewTemplateExpander), with their Go signatures so that
 * argument checking and error texts match: {@code humanize "one"} fails with
 * {@code strconv.ParseFloat: parsing "one": invalid syntax}, {@code first} of nothing with
 * {@code first() called on vector with no elements}.
 */
final class PromFuncs {
    private PromFuncs() {}

    /**
     * The function map for one expansion. ctx may be null (then {@code query} fails and {@code now} is 0);
     * externalURL is the alert's external URL. withTmpl adds {@code tmpl}, which Prometheus offers only in
     * HTML (console) templates, never in alert labels or annotations.
     */
    static Map<String, Func> functions(TemplateContext ctx, String externalURL, Expander.TemplateRunner tmpl) {
        Map<String, Func> m = new LinkedHashMap<>();
        GoType str = GoType.STRING, any = GoType.ANY;
        m.put("query", Func.of(a -> query(ctx, (String) a[0]), str));
        m.put("first", Func.of(a -> {
            GoSlice v = (GoSlice) a[0];
            if (v == null || v.items().isEmpty()) throw new CallError("first() called on vector with no elements");
            return v.items().get(0);
        }, GoType.QUERY_RESULT));
        m.put("label", Func.of(a -> {
            String l = (String) sampleLabels(a[1]).entries().get((String) a[0]);
            return l == null ? "" : l;
        }, str, GoType.SAMPLE_PTR));
        m.put("value", Func.of(a -> sample(a[0]).field(1), GoType.SAMPLE_PTR));
        m.put("strvalue", Func.of(a -> {
            String l = (String) sampleLabels(a[0]).entries().get("__value__");
            return l == null ? "" : l;
        }, GoType.SAMPLE_PTR));
        m.put("args", Func.variadic(a -> {
            TreeMap<String, Object> r = GoValues.newKeyMap();
            for (int i = 0; i < a.length; i++) r.put("arg" + i, a[i]);
            return new GoMap(GoType.MAP_STRING_ANY, r);
        }, any));
        m.put("reReplaceAll", Func.of(a -> GoRegex.replaceAll((String) a[0], (String) a[1], (String) a[2]), str, str, str));
        m.put("safeHtml", Func.of(a -> new GoNamedString((String) a[0], GoType.HTML), str));
        m.put("match", Func.of(a -> GoRegex.matchString((String) a[0], (String) a[1]), str, str));
        m.put("title", Func.of(a -> TitleCase.title((String) a[0]), str));
        m.put("toUpper", Func.of(a -> mapCase((String) a[0], true), str));
        m.put("toLower", Func.of(a -> mapCase((String) a[0], false), str));
        m.put("graphLink", Func.of(a -> "/graph?g0.expr=" + GoNet.queryEscape((String) a[0]) + "&g0.tab=0", str));
        m.put("tableLink", Func.of(a -> "/graph?g0.expr=" + GoNet.queryEscape((String) a[0]) + "&g0.tab=1", str));
        m.put("sortByLabel", Func.of(a -> sortByLabel((String) a[0], (GoSlice) a[1]), str, GoType.QUERY_RESULT));
        m.put("stripPort", Func.of(a -> {
            String[] hp = GoNet.splitHostPort((String) a[0]);
            return hp == null ? a[0] : hp[0];
        }, str));
        m.put("stripDomain", Func.of(a -> stripDomain((String) a[0]), str));
        m.put("humanize", Func.of(a -> Humanize.humanize(convertToFloat(a[0])), any));
        m.put("humanize1024", Func.of(a -> Humanize.humanize1024(convertToFloat(a[0])), any));
        m.put("humanizeDuration", Func.of(a -> Humanize.duration(convertToFloat(a[0])), any));
        m.put("humanizePercentage", Func.of(a -> GoFmt.sprintf("%.4g%%", List.of(convertToFloat(a[0]) * 100)), any));
        m.put("humanizeTimestamp", Func.of(a -> humanizeTimestamp(convertToFloat(a[0])), any));
        m.put("toTime", Func.of(a -> new GoPtr(GoType.TIME_PTR, floatToTime(convertToFloat(a[0]))), any));
        m.put("toDuration", Func.of(a -> new GoPtr(GoType.DURATION_PTR, new GoDuration(GoTimes.floatToInt64(convertToFloat(a[0]) * 1e9))), any));
        m.put("now", Func.of(a -> ctx == null ? 0.0 : ctx.evalTimeMillis() / 1000.0));
        m.put("pathPrefix", Func.of(a -> GoNet.urlPath(externalURL)));
        m.put("externalURL", Func.of(a -> externalURL == null ? "" : externalURL));
        m.put("parseDuration", Func.of(a -> Humanize.parseDuration((String) a[0]), str));
        m.put("urlQueryEscape", Func.of(a -> GoNet.queryEscape((String) a[0]), str));
        if (tmpl != null) {
            m.put("tmpl", Func.of(a -> new GoNamedString(tmpl.run((String) a[0], a[1]), GoType.HTML), str, any));
        }
        return m;
    }

    private static GoSlice query(TemplateContext ctx, String q) throws CallError {
        if (ctx == null) throw new CallError("no query engine available");
        List<QuerySample> r;
        try {
            r = ctx.query(q);
        } catch (Exception e) {
            throw new CallError(e.getMessage() == null ? e.toString() : e.getMessage());
        }
        return GoValues.queryResult(r == null ? List.of() : r);
    }

    /** The sample behind a *template.sample; Go would dereference nil and panic. */
    private static GoStruct sample(Object p) throws CallError {
        if (p == null) throw Func.nilDeref();
        return (GoStruct) ((GoPtr) p).elem;
    }

    private static GoMap sampleLabels(Object p) throws CallError {
        return (GoMap) sample(p).field(0);
    }

    /** Sorts in place, stably, by one label's value, as sort.Stable on the shared slice does in Prometheus. */
    private static GoSlice sortByLabel(String label, GoSlice v) throws CallError {
        if (v == null) return new GoSlice(GoType.QUERY_RESULT, new ArrayList<>()); // Go returns the typed nil slice
        List<Object> items = v.items();
        for (Object o : items) if (o == null) throw Func.nilDeref();
        List<Object> sorted = new ArrayList<>(items);
        sorted.sort((x, y) -> GoValues.compareKeys(labelOf(x, label), labelOf(y, label)));
        for (int i = 0; i < sorted.size(); i++) items.set(i, sorted.get(i));
        return v;
    }

    private static String labelOf(Object sample, String label) {
        Object l = ((GoMap) ((GoStruct) ((GoPtr) sample).elem).field(0)).entries().get(label);
        return l == null ? "" : (String) l;
    }

    private static String stripDomain(String hostPort) {
        String[] hp = GoNet.splitHostPort(hostPort);
        String host = hp == null ? hostPort : hp[0];
        String port = hp == null ? "" : hp[1];
        if (GoNet.isIP(host)) return hostPort;
        int dot = host.indexOf('.');
        if (dot >= 0) host = host.substring(0, dot);
        if (!port.isEmpty()) return GoNet.joinHostPort(host, port);
        return host;
    }

    /** strings.ToUpper/ToLower: per-rune simple case mapping (ß stays ß), unlike Java's String methods. */
    static String mapCase(String s, boolean upper) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            sb.appendCodePoint(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
        }
        return sb.toString();
    }

    /** prometheus/common's ConvertToFloat: float64, string, int, uint, int64, uint64 and time.Duration only. */
    static double convertToFloat(Object i) throws CallError {
        if (i instanceof Double d) return d;
        if (i instanceof String s) {
            try {
                return GoStrconv.parseFloat(s);
            } catch (GoStrconv.NumError e) {
                throw new CallError(e.getMessage());
            }
        }
        if (i instanceof Long l) return l;
        if (i instanceof GoInt g) {
            if (g.type().equals(GoType.INT64)) return g.bits();
            if (g.type().equals(GoType.UINT) || g.type().equals(GoType.UINT64)) return Parser.unsignedToDouble(g.bits());
        }
        if (i instanceof GoDuration d) return GoTimes.seconds(d.nanos());
        throw new CallError("can't convert " + (i == null ? "<nil>" : GoValues.typeOf(i).name) + " to float");
    }

    private static final String NAN_OR_INF = "value is NaN or Inf";

    /** Prometheus's floatToTime: seconds to a UTC time with millisecond precision (model.Time). */
    static GoTime floatToTime(double v) throws CallError {
        if (Double.isNaN(v) || Double.isInfinite(v)) throw new CallError(NAN_OR_INF);
        double ts = v * 1e9;
        if (ts > 0x1p63 || ts < -0x1p63) {
            throw new CallError(GoFmt.sprintf("%v cannot be represented as a nanoseconds timestamp since it overflows int64", List.of(v)));
        }
        long nanos = GoTimes.floatToInt64(ts);
        long ms = nanos / 1_000_000L; // model.TimeFromUnixNano truncates toward zero
        return toTime(ms);
    }

    private static GoTime toTime(long ms) {
        long sec = ms / 1000;
        long nsec = (ms % 1000) * 1_000_000L;
        // time.Unix normalizes a negative nanosecond part into the previous second.
        if (nsec < 0) {
            sec--;
            nsec += 1_000_000_000L;
        }
        return new GoTime(sec, (int) nsec);
    }

    private static String humanizeTimestamp(double v) throws CallError {
        GoTime t;
        try {
            t = floatToTime(v);
        } catch (CallError e) {
            if (e.getMessage().equals(NAN_OR_INF)) return GoFmt.sprintf("%.4g", List.of(v));
            throw e;
        }
        return GoTimes.string(t);
    }
}
