package tally.promql.test;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import tally.model.Labels;
import tally.model.Matcher;

/**
 * Which loaded series (since the last clear) carry data the runner cannot load into Tally's
 * float-only storage, so evals that select them can be skipped with a reason.
 */
final class DataFeatures {
    enum Feature {
        NATIVE_HISTOGRAM("native-histogram samples"),
        NHCB("native histograms with custom buckets (load_with_nhcb)"),
        START_TIMESTAMPS("start timestamps (@st)"),
        TYPE_AND_UNIT("type-and-unit labels (__type__/__unit__)");

        final String description;

        Feature(String description) { this.description = description; }
    }

    private final Map<Labels, EnumSet<Feature>> flagged = new HashMap<>();

    void clear() { flagged.clear(); }

    /** Records what is special about the series of one load block. */
    void record(LoadCommand load) {
        for (LoadCommand.Series s : load.series()) {
            if (s.hasHistogram()) flag(s.labels(), Feature.NATIVE_HISTOGRAM);
            if (s.startTimestamps()) flag(s.labels(), Feature.START_TIMESTAMPS);
            if (s.labels().has("__type__") || s.labels().has("__unit__")) flag(s.labels(), Feature.TYPE_AND_UNIT);
            if (load.withNhcb()) {
                Labels nhcb = nhcbSeries(s.labels());
                if (nhcb != null) flag(nhcb, Feature.NHCB);
            }
        }
    }

    /** The first feature of a series that all matchers select, or null. */
    Feature selectedBy(java.util.List<Matcher> matchers) {
        for (Map.Entry<Labels, EnumSet<Feature>> e : flagged.entrySet()) {
            boolean all = true;
            for (Matcher m : matchers) {
                if (!m.matches(e.getKey())) {
                    all = false;
                    break;
                }
            }
            if (all) return e.getValue().iterator().next();
        }
        return null;
    }

    private void flag(Labels l, Feature f) {
        flagged.computeIfAbsent(l, k -> EnumSet.noneOf(Feature.class)).add(f);
    }

    /** X_bucket{le=..}, X_count, X_sum become the custom-bucket histogram X (labels minus le). */
    private static Labels nhcbSeries(Labels l) {
        String name = l.metricName();
        if (name == null) return null;
        String base;
        if (name.endsWith("_bucket")) {
            String le = l.get("le");
            if (le == null || Double.isNaN(parseLe(le))) return null;
            base = name.substring(0, name.length() - "_bucket".length());
        } else if (name.endsWith("_count")) {
            base = name.substring(0, name.length() - "_count".length());
        } else if (name.endsWith("_sum")) {
            base = name.substring(0, name.length() - "_sum".length());
        } else {
            return null;
        }
        return l.toBuilder().remove("le").set(Labels.METRIC_NAME, base).build();
    }

    private static double parseLe(String le) {
        Double d = GoNumbers.parseGoFloat(le);
        return d == null ? Double.NaN : d;
    }
}
