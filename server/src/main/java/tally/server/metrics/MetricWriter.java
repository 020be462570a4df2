package tally.server.metrics;

/** Writes the Prometheus text exposition format 0.0.4: a HELP and TYPE line per family, then its samples. */
public final class MetricWriter {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder sb;

    public MetricWriter(StringBuilder sb) { this.sb = sb; }

    /** Starts a family; {@code type} is counter, gauge, histogram, summary or untyped. */
    public MetricWriter family(String name, String help, String type) {
        sb.append("# HELP ").append(name).append(' ');
        for (int i = 0; i < help.length(); i++) {
            char c = help.charAt(i);
            if (c == '\\') sb.append("\\\\"); else if (c == '\n') sb.append("\\n"); else sb.append(c);
        }
        sb.append('\n').append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    public MetricWriter sample(String name, double value) {
        return sample(name, null, null, value);
    }

    /** One sample line; names and values are parallel arrays (null for none). */
    public MetricWriter sample(String name, String[] labelNames, String[] labelValues, double value) {
        sb.append(name);
        if (labelNames != null && labelNames.length > 0) {
            sb.append('{');
            for (int i = 0; i < labelNames.length; i++) {
                if (i > 0) sb.append(',');
                sb.append(labelNames[i]).append("=\"");
                escapeValue(labelValues[i]);
                sb.append('"');
            }
            sb.append('}');
        }
        sb.append(' ').append(format(value)).append('\n');
        return this;
    }

    private void escapeValue(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\') sb.append("\\\\");
            else if (c == '"') sb.append("\\\"");
            else if (c == '\n') sb.append("\\n");
            else sb.append(c);
        }
    }

    public static String format(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Double.toString(v);
    }
}
