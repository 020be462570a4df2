package tally.promql.ast;

import static tally.promql.ast.ValueType.MATRIX;
import static tally.promql.ast.ValueType.SCALAR;
import static tally.promql.ast.ValueType.STRING;
import static tally.promql.ast.ValueType.VECTOR;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The PromQL function signatures of Prometheus 3.x (float functions and the histogram ones on classic data). */
public final class Functions {
    private static final Map<String, FunctionSignature> BY_NAME = new LinkedHashMap<>();

    static {
        // instant-vector math: f(v instant-vector) instant-vector
        for (String n : List.of("abs", "ceil", "floor", "exp", "sqrt", "ln", "log2", "log10", "sgn",
                "acos", "acosh", "asin", "asinh", "atan", "atanh", "cos", "cosh", "sin", "sinh", "tan", "tanh",
                "deg", "rad", "absent", "sort", "sort_desc", "timestamp",
                "histogram_count", "histogram_sum", "histogram_avg", "histogram_stddev", "histogram_stdvar")) {
            fixed(n, VECTOR, VECTOR);
        }
        // range-vector functions: f(v range-vector) instant-vector
        for (String n : List.of("rate", "irate", "increase", "delta", "idelta", "deriv", "changes", "resets",
                "avg_over_time", "min_over_time", "max_over_time", "sum_over_time", "count_over_time",
                "last_over_time", "stddev_over_time", "stdvar_over_time", "present_over_time",
                "absent_over_time", "mad_over_time")) {
            fixed(n, VECTOR, MATRIX);
        }
        for (String n : List.of("first_over_time", "ts_of_min_over_time", "ts_of_max_over_time",
                "ts_of_last_over_time", "ts_of_first_over_time")) {
            add(new FunctionSignature(n, List.of(MATRIX), 0, false, VECTOR, true));
        }
        // date functions take an optional vector (default: vector(time()))
        for (String n : List.of("day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute",
                "month", "year")) {
            add(new FunctionSignature(n, List.of(VECTOR), 1, false, VECTOR, false));
        }
        add(new FunctionSignature("round", List.of(VECTOR, SCALAR), 1, false, VECTOR, false));
        fixed("clamp", VECTOR, VECTOR, SCALAR, SCALAR);
        fixed("clamp_min", VECTOR, VECTOR, SCALAR);
        fixed("clamp_max", VECTOR, VECTOR, SCALAR);
        fixed("quantile_over_time", VECTOR, SCALAR, MATRIX);
        fixed("predict_linear", VECTOR, MATRIX, SCALAR);
        fixed("histogram_quantile", VECTOR, SCALAR, VECTOR);
        fixed("histogram_fraction", VECTOR, SCALAR, SCALAR, VECTOR);
        add(new FunctionSignature("double_exponential_smoothing", List.of(MATRIX, SCALAR, SCALAR), 0, false, VECTOR, true));
        add(new FunctionSignature("holt_winters", List.of(MATRIX, SCALAR, SCALAR), 0, false, VECTOR, true));
        fixed("label_replace", VECTOR, VECTOR, STRING, STRING, STRING, STRING);
        add(new FunctionSignature("label_join", List.of(VECTOR, STRING, STRING, STRING), 1, true, VECTOR, false));
        add(new FunctionSignature("sort_by_label", List.of(VECTOR, STRING), 1, true, VECTOR, true));
        add(new FunctionSignature("sort_by_label_desc", List.of(VECTOR, STRING), 1, true, VECTOR, true));
        fixed("scalar", SCALAR, VECTOR);
        fixed("vector", VECTOR, SCALAR);
        fixed("time", SCALAR);
        fixed("pi", SCALAR);
        add(new FunctionSignature("info", List.of(VECTOR, VECTOR), 1, false, VECTOR, true));
    }

    private Functions() {}

    private static void fixed(String name, ValueType ret, ValueType... args) {
        add(new FunctionSignature(name, List.of(args), 0, false, ret, false));
    }

    private static void add(FunctionSignature f) {
        BY_NAME.put(f.name(), f);
    }

    /** The signature of a function, or null when PromQL has no such function. */
    public static FunctionSignature lookup(String name) {
        return BY_NAME.get(name);
    }

    public static Map<String, FunctionSignature> all() {
        return Collections.unmodifiableMap(BY_NAME);
    }
}
