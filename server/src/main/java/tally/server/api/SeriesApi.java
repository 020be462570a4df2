package tally.server.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import tally.model.Labels;
import tally.model.Matcher;
import tally.model.MetricMetadata;
import tally.model.Querier;
import tally.model.SelectHints;
import tally.model.SeriesSet;
import tally.model.Storage;
import tally.promql.parser.ParseException;
import tally.promql.parser.PromQLParser;

/**
 * The metadata endpoints: {@code /api/v1/series}, {@code /api/v1/labels},
 * {@code /api/v1/label/<name>/values} and {@code /api/v1/metadata}.
 */
public final class SeriesApi {
    private final Storage storage;

    public SeriesApi(Storage storage) {
        this.storage = storage;
    }

    public ApiResponse series(ApiParams p) {
        List<List<Matcher>> sets = matchSets(p);
        if (sets.isEmpty()) throw ApiError.badData("no match[] parameter provided");
        long start = p.time("start", ApiParams.MIN_TIME_MS);
        long end = p.time("end", ApiParams.MAX_TIME_MS);
        int limit = p.limit();
        Set<Labels> found = new TreeSet<>();
        try (Querier q = storage.querier(start, end)) {
            for (List<Matcher> ms : sets) {
                SeriesSet set = q.select(false, SelectHints.range(start, end), ms);
                while (set.next()) found.add(set.at().labels());
            }
        }
        JsonOut out = ApiResponse.begin().raw('[');
        int n = 0;
        for (Labels l : found) {
            if (limit > 0 && n == limit) break;
            if (n++ > 0) out.raw(',');
            ResultJson.labels(out, l);
        }
        out.raw(']');
        return ApiResponse.finish(out, truncatedWarning(limit, found.size()), List.of());
    }

    public ApiResponse labelNames(ApiParams p) {
        List<List<Matcher>> sets = matchSets(p);
        long start = p.time("start", ApiParams.MIN_TIME_MS);
        long end = p.time("end", ApiParams.MAX_TIME_MS);
        Set<String> names = new TreeSet<>();
        try (Querier q = storage.querier(start, end)) {
            if (sets.isEmpty()) names.addAll(q.labelNames(List.of()));
            for (List<Matcher> ms : sets) names.addAll(q.labelNames(ms));
        }
        return strings(names, p.limit());
    }

    /** {@code name} as it appears in the path, possibly in Prometheus's U__ escaping for UTF-8 names. */
    public ApiResponse labelValues(String name, ApiParams p) {
        String label = unescapeLabelName(name);
        if (label.isEmpty()) throw ApiError.badData("invalid label name: \"" + name + "\"");
        List<List<Matcher>> sets = matchSets(p);
        long start = p.time("start", ApiParams.MIN_TIME_MS);
        long end = p.time("end", ApiParams.MAX_TIME_MS);
        Set<String> values = new TreeSet<>();
        try (Querier q = storage.querier(start, end)) {
            if (sets.isEmpty()) values.addAll(q.labelValues(label, List.of()));
            for (List<Matcher> ms : sets) values.addAll(q.labelValues(label, ms));
        }
        return strings(values, p.limit());
    }

    public ApiResponse metadata(ApiParams p) {
        String metric = p.get("metric");
        int limit = p.limit();
        int perMetric = 0;
        String lpm = p.get("limit_per_metric");
        if (lpm != null && !lpm.isEmpty()) {
            try {
                perMetric = Integer.parseInt(lpm);
            } catch (NumberFormatException e) {
                throw ApiError.badData("invalid parameter \"limit_per_metric\": cannot parse \"" + lpm + "\"");
            }
        }
        Map<String, List<MetricMetadata>> all = new TreeMap<>(storage.metadata());
        JsonOut out = ApiResponse.begin().raw('{');
        int metrics = 0;
        for (Map.Entry<String, List<MetricMetadata>> e : all.entrySet()) {
            if (metric != null && !metric.isEmpty() && !metric.equals(e.getKey())) continue;
            if (limit > 0 && metrics == limit) break;
            if (metrics++ > 0) out.raw(',');
            out.str(e.getKey()).raw(":[");
            int k = 0;
            for (MetricMetadata md : e.getValue()) {
                if (perMetric > 0 && k == perMetric) break;
                if (k++ > 0) out.raw(',');
                out.raw("{\"type\":").str(md.type()).raw(",\"help\":").str(md.help() == null ? "" : md.help())
                        .raw(",\"unit\":").str(md.unit() == null ? "" : md.unit()).raw('}');
            }
            out.raw(']');
        }
        out.raw('}');
        return ApiResponse.finish(out);
    }

    private static ApiResponse strings(Set<String> values, int limit) {
        JsonOut out = ApiResponse.begin().raw('[');
        int n = 0;
        for (String v : values) {
            if (limit > 0 && n == limit) break;
            if (n++ > 0) out.raw(',');
            out.str(v);
        }
        out.raw(']');
        return ApiResponse.finish(out, truncatedWarning(limit, values.size()), List.of());
    }

    private static List<String> truncatedWarning(int limit, int size) {
        return limit > 0 && size > limit ? List.of("results truncated due to limit") : List.of();
    }

    private static List<List<Matcher>> matchSets(ApiParams p) {
        List<List<Matcher>> sets = new ArrayList<>();
        for (String m : p.all("match[]")) {
            try {
                sets.add(PromQLParser.parseSeriesSelector(m));
            } catch (ParseException e) {
                throw ApiError.badData("invalid parameter \"match[]\": " + e.getMessage());
            }
        }
        return sets;
    }

    /**
     * Decodes Prometheus's "U__" escaping of label names in URL paths: after the prefix, "__" is
     * "_", "_hex_" is the code point hex, anything else stands for itself. Other names pass through.
     */
    static String unescapeLabelName(String name) {
        if (!name.startsWith("U__")) return name;
        String s = name.substring(3);
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '_') {
                sb.append(c);
                continue;
            }
            if (i + 1 < s.length() && s.charAt(i + 1) == '_') {
                sb.append('_');
                i++;
                continue;
            }
            int close = s.indexOf('_', i + 1);
            if (close < 0) return name; // malformed: use as is, like Prometheus
            try {
                sb.appendCodePoint(Integer.parseInt(s.substring(i + 1, close), 16));
            } catch (IllegalArgumentException e) {
                return name;
            }
            i = close;
        }
        return sb.toString();
    }
}
