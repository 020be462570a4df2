package tally.server.events;

import io.opentelemetry.proto.common.v1.AnyValue;
import tally.server.otlp.AttributeValues;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * Reads event attributes whatever type they arrive as: Claude Code sends some numbers as strings
 * ({@code tool_result.duration_ms}, {@code user_prompt.prompt_length}) and {@code success} as "true"/"false".
 */
final class EventValues {
    private EventValues() {}

    /** A label value: strings as they are, numbers and booleans rendered as the metrics path renders them. */
    static String text(AnyValue v) {
        return v == null ? null : AttributeValues.toLabelValue(v);
    }

    /**
     * The number in an int, double or decimal-string value; NaN when there is none (a string that is not a plain
     * decimal number, "NaN", "Infinity", hex, a bool, an array). BigDecimal rather than Double.parseDouble, which also
     * takes "1d", "0x1p3" and "Infinity".
     */
    static double number(AnyValue v) {
        switch (v.getValueCase()) {
            case INT_VALUE:
                return v.getIntValue();
            case DOUBLE_VALUE:
                return v.getDoubleValue();
            case STRING_VALUE: {
                String s = v.getStringValue().trim();
                if (s.isEmpty() || s.length() > 64) return Double.NaN;
                try {
                    return new BigDecimal(s).doubleValue();
                } catch (NumberFormatException e) {
                    return Double.NaN;
                }
            }
            default:
                return Double.NaN;
        }
    }

    /** A whole number >= 0 (event.sequence), or -1 when the value is not one. */
    static long sequence(AnyValue v) {
        double d = number(v);
        if (!(d >= 0) || d > (1L << 53) || d != Math.rint(d)) return -1;
        return (long) d;
    }

    /** "true" or "false" from a bool or a string (any case), null when the value is neither. */
    static String bool(AnyValue v) {
        if (v.getValueCase() == AnyValue.ValueCase.BOOL_VALUE) return v.getBoolValue() ? "true" : "false";
        if (v.getValueCase() == AnyValue.ValueCase.STRING_VALUE) {
            String s = v.getStringValue().trim().toLowerCase(Locale.ROOT);
            if (s.equals("true") || s.equals("false")) return s;
        }
        return null;
    }
}
