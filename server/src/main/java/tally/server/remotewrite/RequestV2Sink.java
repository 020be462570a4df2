package tally.server.remotewrite;

/** Receives a decoded remote-write 2.0 Request, one series at a time (arrays are reused: copy what you keep). */
public interface RequestV2Sink {
    /**
     * One TimeSeries, its label refs resolved through the request's symbols.
     *
     * @param kv         label names and values, alternating, in the order sent ({@code 2 * labels} entries used);
     *                   not meaningful when {@code problem} is set
     * @param timestamps sample timestamps (ms), {@code samples} entries used
     * @param values     sample values
     * @param histograms native histogram samples sent with the series (Tally does not store them)
     * @param exemplars  exemplars sent with the series (Tally does not store them)
     * @param metricType the metadata's type (the 2.0 MetricType enum number; 0 = unspecified)
     * @param help       the metadata's help text ("" when none)
     * @param unit       the metadata's unit ("" when none)
     * @param problem    why the series' refs cannot be resolved (a ref outside the symbols table, an odd number of
     *                   label refs), or null
     */
    void series(String[] kv, int labels, long[] timestamps, double[] values, int samples, int histograms, int exemplars,
                int metricType, String help, String unit, String problem);
}
