package tally.server.fuzz;

import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mutates a corpus expression token by token while keeping it well-typed most of the time: a function for another of
 * the same signature, an aggregation for another, by for without, an arithmetic operator for another, a duration for
 * another, a metric name for one of the dataset's; then perhaps an offset or @ after a range.
 */
final class PromqlSwaps {
    private static final List<List<String>> GROUPS = List.of(
            List.of("abs", "ceil", "floor", "exp", "sqrt", "ln", "log2", "log10", "sgn", "sort", "sort_desc", "timestamp", "absent"),
            List.of("rate", "irate", "increase", "delta", "idelta", "deriv", "changes", "resets", "avg_over_time", "min_over_time",
                    "max_over_time", "sum_over_time", "count_over_time", "last_over_time", "stddev_over_time", "stdvar_over_time",
                    "present_over_time", "absent_over_time"),
            List.of("sum", "avg", "min", "max", "count", "group", "stddev", "stdvar"),
            List.of("topk", "bottomk"),
            List.of("by", "without"),
            List.of("on", "ignoring"),
            List.of("group_left", "group_right"),
            List.of("and", "or", "unless"),
            List.of("clamp_min", "clamp_max"));
    private static final List<String> DURATIONS = List.of("1s", "30s", "1m", "5m", "1h", "1d", "2h30m", "100ms");
    private static final Pattern WORD = Pattern.compile("\\b[a-z_][a-z0-9_]*\\b|\\b\\d+(?:ms|[smhdwy])\\b|(?<=[ )])[-+*/%^](?= )");

    private PromqlSwaps() {}

    static String mutate(String q, SplittableRandom r) {
        Matcher m = WORD.matcher(q);
        StringBuilder out = new StringBuilder();
        int swaps = 0;
        while (m.find()) {
            String w = m.group();
            String replacement = w;
            if (r.nextInt(3) == 0) replacement = swap(w, q, m.end(), r);
            if (!replacement.equals(w)) swaps++;
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        String s = out.toString();
        if (r.nextInt(4) == 0) s = s.replaceFirst("]", "] offset " + DURATIONS.get(r.nextInt(DURATIONS.size())));
        else if (r.nextInt(4) == 0) s = s.replaceFirst("]", "] @ " + (r.nextBoolean() ? "end()" : Long.toString(SyntheticOtlp.T0_MS / 1000)));
        return swaps == 0 && r.nextBoolean() ? s + " * 2" : s;
    }

    private static String swap(String w, String q, int end, SplittableRandom r) {
        if (Character.isDigit(w.charAt(0))) return DURATIONS.get(r.nextInt(DURATIONS.size()));
        if (w.length() == 1) return List.of("+", "-", "*", "/", "%", "^").get(r.nextInt(6));
        for (List<String> g : GROUPS) if (g.contains(w)) return g.get(r.nextInt(g.size()));
        boolean call = end < q.length() && q.charAt(end) == '(';
        boolean label = end < q.length() && (q.charAt(end) == '=' || q.charAt(end) == '!');
        if (!call && !label) return FuzzDataset.METRICS.get(r.nextInt(FuzzDataset.METRICS.size()));
        if (label) return FuzzDataset.LABELS.get(r.nextInt(FuzzDataset.LABELS.size()));
        return w;
    }
}
