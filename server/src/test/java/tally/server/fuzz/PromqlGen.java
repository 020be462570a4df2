package tally.server.fuzz;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.util.List;

/**
 * Well-typed PromQL from jqwik arbitraries, built bottom-up to a fixed depth: instant vectors (selectors with
 * matchers, offset and @, every function by signature, aggregations with by/without and parameters, binary
 * operators with bool, on/ignoring and group_left/group_right), range vectors (selector ranges and subqueries) and
 * scalars, over the names and label values of the fuzz dataset. A few choices are wrong on purpose (an empty
 * range, an invalid regex) so that refusals come through the same path.
 */
final class PromqlGen {
    private static final List<String> MATH = List.of("abs", "ceil", "floor", "exp", "sqrt", "ln", "log2", "log10", "sgn",
            "acos", "asinh", "atan", "cos", "sinh", "deg", "rad", "absent", "sort", "sort_desc", "timestamp");
    private static final List<String> RANGE = List.of("rate", "irate", "increase", "delta", "idelta", "deriv", "changes",
            "resets", "avg_over_time", "min_over_time", "max_over_time", "sum_over_time", "count_over_time", "last_over_time",
            "stddev_over_time", "stdvar_over_time", "present_over_time", "absent_over_time");
    private static final List<String> DATE = List.of("day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour",
            "minute", "month", "year");
    private static final List<String> AGGREGATIONS = List.of("sum", "avg", "min", "max", "count", "group", "stddev", "stdvar");
    private static final List<String> ARITHMETIC = List.of("+", "-", "*", "/", "%", "^", "atan2");
    private static final List<String> COMPARISON = List.of("==", "!=", ">", "<", ">=", "<=");
    private static final List<String> SET = List.of("and", "or", "unless");
    private static final List<String> DURATIONS = List.of("1s", "15s", "1m", "5m", "10m", "1h", "1h30m", "6h", "1d", "7d", "500ms", "0s");
    private static final List<String> STEPS = List.of("", "1s", "15s", "1m", "5m", "1h");
    private static final int DEPTH = 4;

    private final Arbitrary<String> metric;
    private final Arbitrary<String> label;
    private final Arbitrary<String> value;
    private final Arbitrary<String> timestamp;
    private final Arbitrary<String>[] vectors;
    private final Arbitrary<String>[] matrices;
    private final Arbitrary<String>[] scalars;

    /**
     * @param atSeconds a time inside the data, for {@code @} modifiers
     */
    @SuppressWarnings("unchecked")
    PromqlGen(List<String> metrics, List<String> labels, List<String> values, long atSeconds) {
        metric = Arbitraries.of(metrics);
        label = Arbitraries.of(labels);
        value = Arbitraries.of(values);
        timestamp = Arbitraries.of(Long.toString(atSeconds), Long.toString(atSeconds - 3600), atSeconds + ".5", "0", "-1", "1e10");
        vectors = new Arbitrary[DEPTH + 1];
        matrices = new Arbitrary[DEPTH + 1];
        scalars = new Arbitrary[DEPTH + 1];
        for (int d = 0; d <= DEPTH; d++) {
            scalars[d] = new Shared<>(scalar(d));
            matrices[d] = new Shared<>(matrix(d));
            vectors[d] = new Shared<>(vector(d));
        }
    }

    /** Over the names and values of {@link FuzzDataset}, with @ times inside its data. */
    static PromqlGen overDataset() {
        return new PromqlGen(FuzzDataset.METRICS, FuzzDataset.LABELS, FuzzDataset.VALUES, SyntheticOtlp.T0_MS / 1000);
    }

    /** An instant-vector expression (what range queries take, and most panels). */
    Arbitrary<String> vector() { return vectors[DEPTH]; }

    /** A series selector, as match[] takes it. */
    Arbitrary<String> selectors() { return selector(); }

    /** Any expression type: vectors mostly, scalars, range vectors (instant queries only) and strings. */
    Arbitrary<String> any() {
        return Arbitraries.frequencyOf(Tuple.of(6, vectors[DEPTH]), Tuple.of(2, scalars[DEPTH]), Tuple.of(1, matrices[DEPTH]),
                Tuple.of(1, Arbitraries.of("\"a string\"", "'x'")));
    }

    private Arbitrary<String> selector() {
        Arbitrary<String> matcher = Combinators.combine(label, Arbitraries.of("=", "!=", "=~", "!~"),
                Arbitraries.frequencyOf(Tuple.of(8, value), Tuple.of(2, Arbitraries.of(".*", ".+", "a|b", "", "fuzz.*", "(", "\\\\d+"))))
                .as((l, op, v) -> l + op + "\"" + v + "\"");
        Arbitrary<String> matchers = matcher.list().ofMaxSize(3).map(l -> String.join(", ", l));
        Arbitrary<String> backtracking = Arbitraries.of("(a|b)*", "(.*a){8}x", ".*a.*a.*a.*a.*x", "(ab)+", "(a|ab)*c")
                .map(re -> "fuzz_long{note=~\"" + re + "\"}"); // long label values against regexes that backtrack
        return Arbitraries.frequencyOf(
                Tuple.of(4, metric),
                Tuple.of(1, backtracking),
                Tuple.of(5, Combinators.combine(metric, matchers).as((m, ms) -> m + "{" + ms + "}")),
                Tuple.of(1, matcher.map(m -> "{" + m + "}")),
                Tuple.of(1, metric.map(m -> "{\"" + m + "\"}")));
    }

    /** offset and @ for selectors and subqueries. */
    private Arbitrary<String> modifiers() {
        Arbitrary<String> offset = Arbitraries.of(DURATIONS).map(d -> " offset " + d);
        Arbitrary<String> at = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(" @ start()")), Tuple.of(1, Arbitraries.just(" @ end()")),
                Tuple.of(2, timestamp.map(t -> " @ " + t)));
        return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just("")), Tuple.of(2, offset), Tuple.of(1, at),
                Tuple.of(1, Combinators.combine(offset, at).as((o, a) -> a + o)));
    }

    private Arbitrary<String> matrix(int d) {
        Arbitrary<String> range = Combinators.combine(selector(), Arbitraries.of(DURATIONS), modifiers())
                .as((s, dur, mod) -> s + "[" + dur + "]" + mod);
        if (d == 0) return range;
        Arbitrary<String> subquery = Combinators.combine(vectors[d - 1], Arbitraries.of(DURATIONS), Arbitraries.of(STEPS), modifiers())
                .as((v, dur, step, mod) -> "(" + v + ")[" + dur + ":" + step + "]" + mod);
        return Arbitraries.frequencyOf(Tuple.of(3, range), Tuple.of(1, subquery));
    }

    private Arbitrary<String> scalar(int d) {
        Arbitrary<String> literal = Arbitraries.of("1", "0", "0.5", "-2", "100", "1e3", "NaN", "Inf", "-Inf", "0x10", "0.99", "3");
        if (d == 0) return Arbitraries.frequencyOf(Tuple.of(5, literal), Tuple.of(1, Arbitraries.of("time()", "pi()")));
        Arbitrary<String> below = scalars[d - 1];
        return Arbitraries.frequencyOf(
                Tuple.of(6, literal),
                Tuple.of(1, Arbitraries.of("time()", "pi()")),
                Tuple.of(2, vectors[d - 1].map(v -> "scalar(" + v + ")")),
                Tuple.of(2, Combinators.combine(below, Arbitraries.of(ARITHMETIC), below).as((a, op, b) -> a + " " + op + " " + b)),
                Tuple.of(1, Combinators.combine(below, Arbitraries.of(COMPARISON), below).as((a, op, b) -> a + " " + op + " bool " + b)),
                Tuple.of(1, below.map(s -> "-(" + s + ")")),
                Tuple.of(1, Arbitraries.of(DATE).map(f -> f + "()")));
    }

    private Arbitrary<String> vector(int d) {
        Arbitrary<String> leaf = Combinators.combine(selector(), modifiers()).as((s, m) -> s + m);
        if (d == 0) return leaf;
        Arbitrary<String> v = vectors[d - 1];
        Arbitrary<String> m = matrices[d - 1];
        Arbitrary<String> s = scalars[d - 1];
        Arbitrary<String> labels = label.list().ofMaxSize(3).uniqueElements().map(l -> "(" + String.join(", ", l) + ")");
        Arbitrary<String> aggregation = Combinators.combine(Arbitraries.of(AGGREGATIONS), Arbitraries.of("", " by ", " without "), labels, v,
                Arbitraries.of(true, false)).as((op, grouping, ls, x, after) -> grouping.isEmpty() ? op + "(" + x + ")"
                        : after ? op + "(" + x + ")" + grouping + ls : op + grouping + ls + " (" + x + ")");
        Arbitrary<String> parameterized = Arbitraries.oneOf(
                Combinators.combine(Arbitraries.of("topk", "bottomk"), s, v).as((op, k, x) -> op + "(" + k + ", " + x + ")"),
                Combinators.combine(s, v, labels).as((q, x, ls) -> "quantile by " + ls + " (" + q + ", " + x + ")"),
                Combinators.combine(label, v).as((l, x) -> "count_values(\"" + l + "\", " + x + ")"));
        Arbitrary<String> matching = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just("")),
                Tuple.of(2, labels.map(l -> " on" + l)), Tuple.of(1, labels.map(l -> " ignoring" + l)),
                Tuple.of(1, Combinators.combine(labels, labels).as((a, b) -> " on" + a + " group_left" + b)),
                Tuple.of(1, Combinators.combine(labels, labels).as((a, b) -> " ignoring" + a + " group_right" + b)));
        Arbitrary<String> binary = Arbitraries.oneOf(
                Combinators.combine(v, Arbitraries.of(ARITHMETIC), matching, v).as((a, op, on, b) -> a + " " + op + on + " " + b),
                Combinators.combine(v, Arbitraries.of(COMPARISON), Arbitraries.of("", " bool"), matching, v)
                        .as((a, op, bool, on, b) -> a + " " + op + bool + on + " " + b),
                Combinators.combine(v, Arbitraries.of(SET), labels, v).as((a, op, ls, b) -> a + " " + op + " on" + ls + " " + b),
                Combinators.combine(v, Arbitraries.of(ARITHMETIC), s).as((a, op, b) -> a + " " + op + " " + b),
                Combinators.combine(s, Arbitraries.of(COMPARISON), v).as((a, op, b) -> a + " " + op + " " + b));
        Arbitrary<String> functions = Arbitraries.oneOf(
                Combinators.combine(Arbitraries.of(MATH), v).as((f, x) -> f + "(" + x + ")"),
                Combinators.combine(Arbitraries.of(RANGE), m).as((f, x) -> f + "(" + x + ")"),
                Combinators.combine(s, m).as((q, x) -> "quantile_over_time(" + q + ", " + x + ")"),
                Combinators.combine(m, s).as((x, t) -> "predict_linear(" + x + ", " + t + ")"),
                Combinators.combine(v, s, s).as((x, lo, hi) -> "clamp(" + x + ", " + lo + ", " + hi + ")"),
                Combinators.combine(Arbitraries.of("clamp_min", "clamp_max", "round"), v, s).as((f, x, a) -> f + "(" + x + ", " + a + ")"),
                Combinators.combine(s, v).as((q, x) -> "histogram_quantile(" + q + ", " + x + ")"),
                Combinators.combine(v, label, label).as((x, dst, src) -> "label_replace(" + x + ", \"" + dst + "\", \"$1\", \"" + src + "\", \"(.*)\")"),
                Combinators.combine(v, label, label).as((x, dst, src) -> "label_join(" + x + ", \"" + dst + "\", \",\", \"" + src + "\", \"job\")"),
                Combinators.combine(Arbitraries.of(DATE), v).as((f, x) -> f + "(" + x + ")"),
                s.map(x -> "vector(" + x + ")"),
                m.map(x -> "absent_over_time(" + x + ")"));
        return Arbitraries.frequencyOf(
                Tuple.of(3, leaf),
                Tuple.of(4, functions),
                Tuple.of(3, aggregation),
                Tuple.of(1, parameterized),
                Tuple.of(3, binary),
                Tuple.of(1, v.map(x -> "(" + x + ")")),
                Tuple.of(1, v.map(x -> "-" + x)));
    }
}
