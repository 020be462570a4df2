package tally.server.remotewrite;

import tally.model.Labels;
import tally.model.MetricMetadata;
import tally.server.ingest.IngestBatch;
import tally.server.ingest.MetadataRecorder;

/**
 * Applies one decoded WriteRequest (1.0) or Request (2.0): validates each series' labels (non-empty names, sorted,
 * unique, a metric name), appends its float samples, keeps metadata, and counts what it refused.
 */
public final class RemoteWriteBatch implements WriteRequestSink, RequestV2Sink {
    private static final String[] TYPES = {"unknown", "counter", "gauge", "histogram", "gaugehistogram", "summary", "info", "stateset"};

    final IngestBatch ingest;
    private final MetadataRecorder metadata;
    long exemplars;
    long histograms;
    /** 2.0 series with neither samples nor histograms (refused as Prometheus does, but they hold no sample to count). */
    long emptySeries;
    String firstEmptySeries;
    /** The last 2.0 metadata kept, so a request's series of one metric do not rebuild it series by series. */
    private String lastMetadataName, lastHelp, lastUnit;
    private int lastType = -1;

    public RemoteWriteBatch(IngestBatch ingest, MetadataRecorder metadata) {
        this.ingest = ingest;
        this.metadata = metadata;
    }

    @Override
    public void series(String[] kv, int labels, long[] ts, double[] vs, int samples, int exemplarCount, int histogramCount) {
        exemplars += exemplarCount;
        histograms += histogramCount;
        ingest.countSeries(1);
        String problem = validate(kv, labels);
        if (problem != null) {
            if (samples > 0) {
                ingest.refuse("invalid_labels", problem);
                for (int i = 1; i < samples; i++) ingest.refuse("invalid_labels", problem);
            }
            return;
        }
        Labels ls = toLabels(kv, labels);
        for (int i = 0; i < samples; i++) ingest.append(ls, ts[i], vs[i]);
    }

    /** Null when the label set is acceptable, else the reason (naming the series). */
    static String validate(String[] kv, int labels) {
        if (labels == 0) return "invalid labels: series without labels";
        boolean hasName = false;
        for (int i = 0; i < labels; i++) {
            String name = kv[2 * i];
            if (name.isEmpty()) return "invalid labels: empty label name in " + describe(kv, labels);
            if (i > 0) {
                int c = kv[2 * i - 2].compareTo(name);
                if (c == 0) return "invalid labels: duplicate label name \"" + name + "\" in " + describe(kv, labels);
                if (c > 0) return "invalid labels: label names not sorted (\"" + kv[2 * i - 2] + "\" before \"" + name + "\") in "
                        + describe(kv, labels);
            }
            if (name.equals(Labels.METRIC_NAME) && !kv[2 * i + 1].isEmpty()) hasName = true;
        }
        if (!hasName) return "invalid labels: series without a metric name (__name__) " + describe(kv, labels);
        return null;
    }

    /** Sorted and unique already (validated): copies the pairs, leaving out empty values (same as absent). */
    private static Labels toLabels(String[] kv, int labels) {
        int keep = 0;
        for (int i = 0; i < labels; i++) if (!kv[2 * i + 1].isEmpty()) keep++;
        String[] out = new String[2 * keep];
        int j = 0;
        for (int i = 0; i < labels; i++) {
            if (kv[2 * i + 1].isEmpty()) continue;
            out[j++] = kv[2 * i];
            out[j++] = kv[2 * i + 1];
        }
        return Labels.wrapSorted(out);
    }

    private static String describe(String[] kv, int labels) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < labels && sb.length() < 200; i++) {
            if (i > 0) sb.append(", ");
            sb.append(kv[2 * i]).append("=\"").append(kv[2 * i + 1]).append('"');
        }
        return sb.append('}').toString();
    }

    @Override
    public void series(String[] kv, int labels, long[] ts, double[] vs, int samples, int histogramCount, int exemplarCount,
                       int metricType, String help, String unit, String problem) {
        exemplars += exemplarCount;
        ingest.countSeries(1);
        if (problem == null) problem = validate(kv, labels);
        if (problem != null) {
            // the series' samples and histograms are refused alike (Prometheus counts both as invalid)
            long n = (long) samples + histogramCount;
            if (n > 0) ingest.refuseAll("invalid_labels", problem.startsWith("invalid labels") ? problem : "invalid series: " + problem, n);
            else noteEmpty("invalid series: " + problem);
            return;
        }
        if (samples == 0 && histogramCount == 0) {
            noteEmpty("invalid series: it holds no samples or histograms " + describe(kv, labels));
            return;
        }
        histograms += histogramCount;
        Labels ls = toLabels(kv, labels);
        for (int i = 0; i < samples; i++) ingest.append(ls, ts[i], vs[i]);
        if (metricType != 0 || !help.isEmpty() || !unit.isEmpty()) v2Metadata(ls.metricName(), metricType, help, unit);
    }

    private void noteEmpty(String message) {
        if (emptySeries++ == 0) firstEmptySeries = message;
    }

    /** 2.0 metadata travels per series: kept under the series' metric name. */
    private void v2Metadata(String name, int type, String help, String unit) {
        if (type == lastType && name.equals(lastMetadataName) && help.equals(lastHelp) && unit.equals(lastUnit)) return;
        lastType = type;
        lastMetadataName = name;
        lastHelp = help;
        lastUnit = unit;
        metadata.record(name, new MetricMetadata(type >= 0 && type < TYPES.length ? TYPES[type] : "unknown", help, unit));
    }

    @Override
    public void metadata(int type, String family, String help, String unit) {
        if (family.isEmpty()) return;
        String t = type >= 0 && type < TYPES.length ? TYPES[type] : "unknown";
        metadata.record(family, new MetricMetadata(t, help, unit));
    }
}
