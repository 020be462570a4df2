package tally.promql.functions;

/** A function of a range vector evaluated one series and one window at a time. */
@FunctionalInterface
public interface RangeFunction {
    /**
     * @param out receives the result in {@code out[0]}
     * @return false when this window yields no output sample (e.g. too few samples)
     */
    boolean apply(RangeWindow w, double[] out);
}
