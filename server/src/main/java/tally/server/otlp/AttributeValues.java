package tally.server.otlp;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;

import java.math.BigDecimal;
import java.util.Base64;

/** OTLP attribute values as label strings, the way the collector's pdata {@code AsString} renders them. */
public final class AttributeValues {
    private AttributeValues() {}

    public static String toLabelValue(AnyValue v) {
        switch (v.getValueCase()) {
            case STRING_VALUE: return v.getStringValue();
            case BOOL_VALUE: return v.getBoolValue() ? "true" : "false";
            case INT_VALUE: return Long.toString(v.getIntValue());
            case DOUBLE_VALUE: return formatDouble(v.getDoubleValue());
            case BYTES_VALUE: return Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray());
            case ARRAY_VALUE:
            case KVLIST_VALUE: {
                StringBuilder sb = new StringBuilder();
                appendJson(sb, v);
                return sb.toString();
            }
            default: return "";
        }
    }

    /** Like JavaScript's number-to-string: integers without ".0", exponent form below 1e-6 and from 1e21. */
    public static String formatDouble(double d) {
        if (Double.isNaN(d)) return "NaN";
        if (Double.isInfinite(d)) return d > 0 ? "+Inf" : "-Inf";
        if (d == 0) return "0";
        double abs = Math.abs(d);
        if (abs < 1e-6 || abs >= 1e21) {
            String s = Double.toString(d); // e.g. 1.5E-7
            int e = s.indexOf('E');
            String mant = s.substring(0, e);
            if (mant.endsWith(".0")) mant = mant.substring(0, mant.length() - 2);
            String exp = s.substring(e + 1);
            return mant + "e" + (exp.startsWith("-") ? exp : "+" + exp);
        }
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    private static void appendJson(StringBuilder sb, AnyValue v) {
        switch (v.getValueCase()) {
            case STRING_VALUE -> quote(sb, v.getStringValue());
            case BOOL_VALUE, INT_VALUE, DOUBLE_VALUE -> sb.append(toLabelValue(v));
            case BYTES_VALUE -> quote(sb, toLabelValue(v));
            case ARRAY_VALUE -> {
                sb.append('[');
                for (int i = 0; i < v.getArrayValue().getValuesCount(); i++) {
                    if (i > 0) sb.append(',');
                    appendJson(sb, v.getArrayValue().getValues(i));
                }
                sb.append(']');
            }
            case KVLIST_VALUE -> {
                sb.append('{');
                for (int i = 0; i < v.getKvlistValue().getValuesCount(); i++) {
                    KeyValue kv = v.getKvlistValue().getValues(i);
                    if (i > 0) sb.append(',');
                    quote(sb, kv.getKey());
                    sb.append(':');
                    appendJson(sb, kv.getValue());
                }
                sb.append('}');
            }
            default -> sb.append("null");
        }
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c == '\n') sb.append("\\n");
            else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        sb.append('"');
    }
}
