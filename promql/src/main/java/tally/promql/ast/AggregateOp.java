package tally.promql.ast;

/** Aggregation operators; {@code hasParam} ones take a first argument (k, quantile, label name). */
public enum AggregateOp {
    SUM(false), AVG(false), COUNT(false), MIN(false), MAX(false), GROUP(false), STDDEV(false), STDVAR(false),
    TOPK(true), BOTTOMK(true), COUNT_VALUES(true), QUANTILE(true), LIMITK(true), LIMIT_RATIO(true);

    private final boolean hasParam;

    AggregateOp(boolean hasParam) { this.hasParam = hasParam; }

    public boolean hasParam() { return hasParam; }

    /** The keyword as written in PromQL. */
    public String keyword() { return name().toLowerCase(java.util.Locale.ROOT); }

    public static AggregateOp fromKeyword(String s) {
        for (AggregateOp op : values()) if (op.keyword().equalsIgnoreCase(s)) return op;
        return null;
    }
}
