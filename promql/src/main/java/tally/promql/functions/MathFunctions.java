package tally.promql.functions;

import java.util.HashMap;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/** Element-wise functions of one instant vector; all of them drop the metric name. */
public final class MathFunctions {
    private static final Map<String, DoubleUnaryOperator> BY_NAME = new HashMap<>();

    static {
        BY_NAME.put("abs", Math::abs);
        BY_NAME.put("ceil", Math::ceil);
        BY_NAME.put("floor", Math::floor);
        BY_NAME.put("exp", Math::exp);
        BY_NAME.put("sqrt", Math::sqrt);
        BY_NAME.put("ln", Math::log);
        BY_NAME.put("log2", GoMath::log2);
        BY_NAME.put("log10", GoMath::log10);
        BY_NAME.put("sgn", v -> v < 0 ? -1 : v > 0 ? 1 : v);
        BY_NAME.put("sin", Math::sin);
        BY_NAME.put("cos", Math::cos);
        BY_NAME.put("tan", Math::tan);
        BY_NAME.put("asin", Math::asin);
        BY_NAME.put("acos", Math::acos);
        BY_NAME.put("atan", Math::atan);
        BY_NAME.put("sinh", Math::sinh);
        BY_NAME.put("cosh", Math::cosh);
        BY_NAME.put("tanh", Math::tanh);
        BY_NAME.put("asinh", GoMath::asinh);
        BY_NAME.put("acosh", GoMath::acosh);
        BY_NAME.put("atanh", GoMath::atanh);
        BY_NAME.put("deg", v -> v * 180 / Math.PI);
        BY_NAME.put("rad", v -> v * Math.PI / 180);
    }

    private MathFunctions() {}

    /** The element-wise function of this name, or null. */
    public static DoubleUnaryOperator lookup(String name) {
        return BY_NAME.get(name);
    }

    /** {@code round(v, toNearest)}: ties round up; dividing by the inverse is what Prometheus does (fewer float artefacts). */
    public static double round(double v, double toNearest) {
        double inverse = 1.0 / toNearest;
        return Math.floor(v * inverse + 0.5) / inverse;
    }

    public static double clamp(double v, double min, double max) {
        return Math.max(min, Math.min(max, v));
    }
}
