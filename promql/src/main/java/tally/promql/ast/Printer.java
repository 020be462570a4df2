package tally.promql.ast;

import java.util.List;
import tally.model.LabelNames;
import tally.model.Labels;
import tally.model.MatchType;
import tally.model.Matcher;

/** Turns a syntax tree back into PromQL text that parses to the same tree. */
public final class Printer {
    private Printer() {}

    public static String print(Expr e) {
        StringBuilder sb = new StringBuilder();
        write(sb, e);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Expr e) {
        if (e instanceof NumberLiteral n) {
            sb.append(formatNumber(n.value()));
        } else if (e instanceof StringLiteral s) {
            LabelNames.quote(sb, s.value());
        } else if (e instanceof VectorSelector v) {
            writeSelector(sb, v);
        } else if (e instanceof MatrixSelector m) {
            writeSelectorCore(sb, m.selector());
            sb.append('[').append(Durations.format(m.rangeMs())).append(']');
            writeModifiers(sb, m.selector().offsetMs(), m.selector().at());
        } else if (e instanceof SubqueryExpr s) {
            write(sb, s.expr());
            sb.append('[').append(Durations.format(s.rangeMs())).append(':');
            if (s.stepMs() != 0) sb.append(Durations.format(s.stepMs()));
            sb.append(']');
            writeModifiers(sb, s.offsetMs(), s.at());
        } else if (e instanceof Call c) {
            sb.append(c.function().name()).append('(');
            for (int i = 0; i < c.args().size(); i++) {
                if (i > 0) sb.append(", ");
                write(sb, c.args().get(i));
            }
            sb.append(')');
        } else if (e instanceof AggregateExpr a) {
            sb.append(a.op().keyword());
            if (a.without() || !a.grouping().isEmpty()) {
                sb.append(a.without() ? " without (" : " by (");
                writeLabelList(sb, a.grouping());
                sb.append(") ");
            }
            sb.append('(');
            if (a.param() != null) {
                write(sb, a.param());
                sb.append(", ");
            }
            write(sb, a.expr());
            sb.append(')');
        } else if (e instanceof BinaryExpr b) {
            write(sb, b.lhs());
            sb.append(' ').append(b.op().symbol());
            if (b.returnBool()) sb.append(" bool");
            VectorMatching m = b.matching();
            if (m != null) {
                boolean grouped = m.card() == VectorMatching.Cardinality.MANY_TO_ONE || m.card() == VectorMatching.Cardinality.ONE_TO_MANY;
                if (m.on() || !m.matchingLabels().isEmpty() || grouped) { // group_left/right need on/ignoring before them
                sb.append(m.on() ? " on (" : " ignoring (");
                writeLabelList(sb, m.matchingLabels());
                sb.append(')');
                }
                if (m.card() == VectorMatching.Cardinality.MANY_TO_ONE || m.card() == VectorMatching.Cardinality.ONE_TO_MANY) {
                sb.append(m.card() == VectorMatching.Cardinality.MANY_TO_ONE ? " group_left" : " group_right");
                if (!m.include().isEmpty()) {
                    sb.append(" (");
                    writeLabelList(sb, m.include());
                    sb.append(')');
                }
                }
            }
            sb.append(' ');
            write(sb, b.rhs());
        } else if (e instanceof UnaryExpr u) {
            sb.append(u.negate() ? '-' : '+');
            write(sb, u.expr());
        } else if (e instanceof ParenExpr p) {
            sb.append('(');
            write(sb, p.expr());
            sb.append(')');
        } else if (e instanceof StepInvariantExpr s) {
            write(sb, s.expr());
        } else {
            throw new IllegalStateException("unknown node " + e.getClass());
        }
    }

    private static void writeSelector(StringBuilder sb, VectorSelector v) {
        writeSelectorCore(sb, v);
        writeModifiers(sb, v.offsetMs(), v.at());
    }

    private static void writeSelectorCore(StringBuilder sb, VectorSelector v) {
        // a name outside the braces next to another __name__ matcher inside them reads as "set twice": quote it inside
        boolean otherNameMatcher = false;
        for (Matcher m : v.matchers()) {
            otherNameMatcher |= m.name().equals(Labels.METRIC_NAME) && !(m.type() == MatchType.EQUAL && m.value().equals(v.name()));
        }
        boolean plainName = v.name() != null && !otherNameMatcher && LabelNames.isLegacyMetricName(v.name()) && !isKeyword(v.name());
        if (plainName) sb.append(v.name());
        StringBuilder inner = new StringBuilder();
        if (v.name() != null && !plainName) LabelNames.quote(inner, v.name());
        for (Matcher m : v.matchers()) {
            if (v.name() != null && m.type() == MatchType.EQUAL && m.name().equals(Labels.METRIC_NAME)
                && m.value().equals(v.name())) {
            continue; // implied by the name
            }
            if (inner.length() > 0) inner.append(", ");
            inner.append(m);
        }
        if (inner.length() > 0 || !plainName) sb.append('{').append(inner).append('}');
    }

    private static final java.util.Set<String> KEYWORDS = java.util.Set.of("and", "or", "unless", "atan2", "sum", "avg",
            "count", "min", "max", "group", "stddev", "stdvar", "topk", "bottomk", "count_values", "quantile", "limitk",
            "limit_ratio", "offset", "smoothed", "anchored", "by", "without", "on", "ignoring", "group_left", "group_right",
            "fill", "fill_left", "fill_right", "bool", "start", "end", "step", "range", "max_of", "min_of", "inf", "nan");

    /** Words the lexer reads as keywords or numbers; a metric with such a name is printed quoted in braces. */
    private static boolean isKeyword(String name) {
        return KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT));
    }

    private static void writeModifiers(StringBuilder sb, long offsetMs, AtModifier at) {
        if (at != null) {
            sb.append(" @ ");
            switch (at.kind()) {
            case START -> sb.append("start()");
            case END -> sb.append("end()");
            case TIMESTAMP -> sb.append(formatNumber(at.timestampMs() / 1000.0));
            }
        }
        if (offsetMs != 0) sb.append(" offset ").append(Durations.format(offsetMs));
    }

    private static void writeLabelList(StringBuilder sb, List<String> names) {
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) sb.append(", ");
            String n = names.get(i);
            if (LabelNames.isLegacyLabelName(n)) sb.append(n); else LabelNames.quote(sb, n);
        }
    }

    /** Numbers as Prometheus prints them: integers without ".0", Inf/NaN spelled out. */
    public static String formatNumber(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "Inf" : "-Inf";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        double abs = Math.abs(v);
        // Plain digits for everyday magnitudes (timestamps like 1609746000.5); exponent form otherwise.
        if (abs >= 1e-6 && abs < 1e21) return new java.math.BigDecimal(Double.toString(v)).toPlainString();
        return Double.toString(v);
    }
}
