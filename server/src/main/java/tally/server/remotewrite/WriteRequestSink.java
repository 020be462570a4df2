package tally.server.remotewrite;

/** Receives a decoded remote-write 1.0 WriteRequest, one series at a time (arrays are reused: copy what you keep). */
public interface WriteRequestSink {
    /**
     * One TimeSeries.
     *
     * @param kv         label names and values, alternating, in the order sent ({@code 2 * labels} entries used)
     * @param timestamps sample timestamps (ms), {@code samples} entries used
     * @param values     sample values
     * @param exemplars  exemplars sent with the series (Tally does not store them)
     * @param histograms native histogram samples sent with the series (Tally does not store them)
     */
    void series(String[] kv, int labels, long[] timestamps, double[] values, int samples, int exemplars, int histograms);

    /** One MetricMetadata entry (type is prompb's MetricType enum number). */
    void metadata(int type, String family, String help, String unit);
}
