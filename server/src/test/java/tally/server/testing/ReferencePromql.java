package tally.server.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * Prometheus 3.x's {@code increase} and {@code last_over_time}, written from the documented algorithm
 * (promql/functions.go extrapolatedRate) so tests can compute panel values without Tally's engine.
 */
public final class ReferencePromql {
    private ReferencePromql() {}

    /**
     * {@code increase(s[range])} at {@code t} (ms) over the left-open window (t - range, t]; NaN when
     * the window holds fewer than two samples (Prometheus returns no series then).
     */
    public static double increase(NavigableMap<Long, Double> s, long t, long rangeMs) {
        long rangeStart = t - rangeMs;
        List<Map.Entry<Long, Double>> w = new ArrayList<>(s.subMap(rangeStart, false, t, true).entrySet());
        if (w.size() < 2) return Double.NaN;
        double first = w.get(0).getValue(), last = w.get(w.size() - 1).getValue();
        double result = last - first;
        for (int i = 1; i < w.size(); i++) {
            if (w.get(i).getValue() < w.get(i - 1).getValue()) result += w.get(i - 1).getValue();
        }
        double toStart = (w.get(0).getKey() - rangeStart) / 1000.0;
        double toEnd = (t - w.get(w.size() - 1).getKey()) / 1000.0;
        double sampled = (w.get(w.size() - 1).getKey() - w.get(0).getKey()) / 1000.0;
        double avg = sampled / (w.size() - 1);
        double threshold = avg * 1.1;
        if (toStart >= threshold) toStart = avg / 2;
        if (result > 0 && first >= 0) {
            // a counter cannot have been below zero: do not extrapolate past the time it was 0
            double toZero = sampled * (first / result);
            if (toZero < toStart) toStart = toZero;
        }
        if (toEnd >= threshold) toEnd = avg / 2;
        return result * (sampled + toStart + toEnd) / sampled;
    }

    /** {@code last_over_time(s[range])} at {@code t}; NaN when the window is empty. */
    public static double lastOverTime(NavigableMap<Long, Double> s, long t, long rangeMs) {
        Map.Entry<Long, Double> e = s.floorEntry(t);
        return e == null || e.getKey() <= t - rangeMs ? Double.NaN : e.getValue();
    }
}
