package tally.promql.functions;

import java.util.HashMap;
import java.util.Map;

/** The range-vector functions ({@code rate}, {@code *_over_time}, ...) by name, with Prometheus 3 semantics. */
public final class RangeFunctions {
    private static final Map<String, RangeFunction> BY_NAME = new HashMap<>();

    static {
        BY_NAME.put("rate", (w, out) -> extrapolatedRate(w, out, true, true));
        BY_NAME.put("increase", (w, out) -> extrapolatedRate(w, out, true, false));
        BY_NAME.put("delta", (w, out) -> extrapolatedRate(w, out, false, false));
        BY_NAME.put("irate", (w, out) -> instantValue(w, out, true));
        BY_NAME.put("idelta", (w, out) -> instantValue(w, out, false));
        BY_NAME.put("deriv", RangeFunctions::deriv);
        BY_NAME.put("predict_linear", RangeFunctions::predictLinear);
        BY_NAME.put("changes", RangeFunctions::changes);
        BY_NAME.put("resets", RangeFunctions::resets);
        BY_NAME.put("sum_over_time", RangeFunctions::sumOverTime);
        BY_NAME.put("avg_over_time", RangeFunctions::avgOverTime);
        BY_NAME.put("min_over_time", (w, out) -> extremeOverTime(w, out, false, false));
        BY_NAME.put("max_over_time", (w, out) -> extremeOverTime(w, out, true, false));
        BY_NAME.put("ts_of_min_over_time", (w, out) -> extremeOverTime(w, out, false, true));
        BY_NAME.put("ts_of_max_over_time", (w, out) -> extremeOverTime(w, out, true, true));
        BY_NAME.put("count_over_time", (w, out) -> set(out, w.count()));
        BY_NAME.put("present_over_time", (w, out) -> set(out, 1));
        BY_NAME.put("last_over_time", (w, out) -> set(out, w.vs[w.to - 1]));
        BY_NAME.put("first_over_time", (w, out) -> set(out, w.vs[w.from]));
        BY_NAME.put("ts_of_last_over_time", (w, out) -> set(out, w.ts[w.to - 1] / 1000.0));
        BY_NAME.put("ts_of_first_over_time", (w, out) -> set(out, w.ts[w.from] / 1000.0));
        BY_NAME.put("quantile_over_time", RangeFunctions::quantileOverTime);
        BY_NAME.put("stddev_over_time", (w, out) -> variance(w, out, true));
        BY_NAME.put("stdvar_over_time", (w, out) -> variance(w, out, false));
        BY_NAME.put("mad_over_time", RangeFunctions::madOverTime);
        BY_NAME.put("double_exponential_smoothing", RangeFunctions::doubleExponentialSmoothing);
        BY_NAME.put("holt_winters", RangeFunctions::doubleExponentialSmoothing);
    }

    private RangeFunctions() {}

    /** The implementation of a range-vector function, or null when the name is not one. */
    public static RangeFunction lookup(String name) {
        return BY_NAME.get(name);
    }

    /** Range functions keep the metric name only when they just pick a sample, like an offset would. */
    public static boolean keepsMetricName(String name) {
        return name.equals("last_over_time") || name.equals("first_over_time");
    }

    private static boolean set(double[] out, double v) {
        out[0] = v;
        return true;
    }

    /**
     * rate/increase/delta: the change over the window, extrapolated towards the window edges unless the
     * first/last sample is further than 1.1 average intervals from its edge (then half an interval);
     * counters never extrapolate below zero (the zero point is checked after the threshold, as since 2.51).
     */
    static boolean extrapolatedRate(RangeWindow w, double[] out, boolean isCounter, boolean isRate) {
        int n = w.count();
        if (n < 2) return false;
        long[] ts = w.ts;
        double[] vs = w.vs;
        int first = w.from, last = w.to - 1;
        double result = vs[last] - vs[first];
        if (isCounter && w.mayHaveDrop()) {
            for (int i = first + 1; i <= last; i++) {
                if (vs[i] < vs[i - 1]) result += vs[i - 1];
            }
        }
        double durationToStart = (ts[first] - w.rangeStartMs) / 1000.0;
        double durationToEnd = (w.rangeEndMs - ts[last]) / 1000.0;
        double sampledInterval = (ts[last] - ts[first]) / 1000.0;
        double averageDurationBetweenSamples = sampledInterval / (n - 1);
        double extrapolationThreshold = averageDurationBetweenSamples * 1.1;
        if (durationToStart >= extrapolationThreshold) durationToStart = averageDurationBetweenSamples / 2;
        if (isCounter) {
            double durationToZero = durationToStart;
            if (result > 0 && vs[first] >= 0) durationToZero = sampledInterval * (vs[first] / result);
            if (durationToZero < durationToStart) durationToStart = durationToZero;
        }
        if (durationToEnd >= extrapolationThreshold) durationToEnd = averageDurationBetweenSamples / 2;
        double factor = 1.0;
        if (sampledInterval != 0) factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
        if (isRate) factor /= w.rangeMs / 1000.0;
        out[0] = result * factor;
        return true;
    }

    /** irate/idelta: from the last two samples only. */
    static boolean instantValue(RangeWindow w, double[] out, boolean isRate) {
        if (w.count() < 2) return false;
        int last = w.to - 1, prev = last - 1;
        long sampledInterval = w.ts[last] - w.ts[prev];
        if (sampledInterval == 0) return false;
        double result = w.vs[last];
        // a counter reset leaves the last value as the increase; NaN compares false and so subtracts
        if (!isRate || !(w.vs[last] < w.vs[prev])) result = w.vs[last] - w.vs[prev];
        if (isRate) result /= sampledInterval / 1000.0;
        out[0] = result;
        return true;
    }

    /** Least-squares fit; returns {slope, intercept at interceptTime} in out[0], out[1]. */
    static void linearRegression(RangeWindow w, long interceptTime, double[] out) {
        double[] cx = {0}, cy = {0}, cxy = {0}, cx2 = {0};
        double n = 0, sumX = 0, sumY = 0, sumXY = 0, sumX2 = 0;
        double initY = w.vs[w.from];
        boolean constY = true;
        for (int i = w.from; i < w.to; i++) {
            double y = w.vs[i];
            if (constY && i > w.from && y != initY) constY = false;
            n += 1;
            double x = (w.ts[i] - interceptTime) / 1e3;
            sumX = KahanSum.add(x, sumX, cx);
            sumY = KahanSum.add(y, sumY, cy);
            sumXY = KahanSum.add(x * y, sumXY, cxy);
            sumX2 = KahanSum.add(x * x, sumX2, cx2);
        }
        if (constY) {
            if (Double.isInfinite(initY)) {
                out[0] = Double.NaN;
                out[1] = Double.NaN;
            } else {
                out[0] = 0;
                out[1] = initY;
            }
            return;
        }
        sumX += cx[0];
        sumY += cy[0];
        sumXY += cxy[0];
        sumX2 += cx2[0];
        double covXY = sumXY - sumX * sumY / n;
        double varX = sumX2 - sumX * sumX / n;
        double slope = covXY / varX;
        out[0] = slope;
        out[1] = sumY / n - slope * sumX / n;
    }

    static boolean deriv(RangeWindow w, double[] out) {
        if (w.count() < 2) return false;
        // intercept near the samples to keep the floating point error small
        linearRegression(w, w.ts[w.from], out);
        return true;
    }

    static boolean predictLinear(RangeWindow w, double[] out) {
        if (w.count() < 2) return false;
        double duration = w.args[0];
        linearRegression(w, w.evalTs, out);
        out[0] = out[0] * duration + out[1];
        return true;
    }

    static boolean changes(RangeWindow w, double[] out) {
        int changes = 0;
        for (int i = w.from + 1; i < w.to; i++) {
            double cur = w.vs[i], prev = w.vs[i - 1];
            if (cur != prev && !(Double.isNaN(cur) && Double.isNaN(prev))) changes++;
        }
        out[0] = changes;
        return true;
    }

    static boolean resets(RangeWindow w, double[] out) {
        int resets = 0;
        for (int i = w.from + 1; i < w.to; i++) if (w.vs[i] < w.vs[i - 1]) resets++;
        out[0] = resets;
        return true;
    }

    static boolean sumOverTime(RangeWindow w, double[] out) {
        double[] c = {0};
        double sum = 0;
        for (int i = w.from; i < w.to; i++) sum = KahanSum.add(w.vs[i], sum, c);
        out[0] = Double.isInfinite(sum) ? sum : sum + c[0];
        return true;
    }

    /** Kahan-compensated direct mean, switching to an incremental mean if the running sum would overflow. */
    static boolean avgOverTime(RangeWindow w, double[] out) {
        double sum = w.vs[w.from], count = 1, mean = 0;
        double[] c = {0};
        boolean incremental = false;
        for (int i = w.from + 1; i < w.to; i++) {
            double f = w.vs[i];
            count = i - w.from + 1;
            if (!incremental) {
                double save = c[0];
                double newSum = KahanSum.add(f, sum, c);
                if (!Double.isInfinite(newSum)) {
                    sum = newSum;
                    continue;
                }
                c[0] = save;
                incremental = true;
                mean = sum / (count - 1);
                c[0] /= count - 1;
            }
            double q = (count - 1) / count;
            c[0] = q * c[0];
            mean = KahanSum.add(f / count, q * mean, c);
        }
        out[0] = incremental ? mean + c[0] : sum / count + c[0] / count;
        return true;
    }

    static boolean extremeOverTime(RangeWindow w, double[] out, boolean max, boolean timestamp) {
        double best = w.vs[w.from];
        long bestT = w.ts[w.from];
        for (int i = w.from; i < w.to; i++) {
            double f = w.vs[i];
            boolean better = max ? (f > best || Double.isNaN(best)) : (f < best || Double.isNaN(best));
            if (better) {
                best = f;
                bestT = w.ts[i];
            }
        }
        out[0] = timestamp ? bestT / 1000.0 : best;
        return true;
    }

    static boolean quantileOverTime(RangeWindow w, double[] out) {
        int n = w.count();
        double[] values = w.scratch(n);
        System.arraycopy(w.vs, w.from, values, 0, n);
        out[0] = Quantiles.quantile(w.args[0], values, n);
        return true;
    }

    /** Welford's online variance with Kahan-compensated mean and sum of squares. */
    static boolean variance(RangeWindow w, double[] out, boolean stddev) {
        double count = 0, mean = 0, aux = 0;
        double[] cMean = {0}, cAux = {0};
        for (int i = w.from; i < w.to; i++) {
            double f = w.vs[i];
            count++;
            double delta = f - (mean + cMean[0]);
            mean = KahanSum.add(delta / count, mean, cMean);
            aux = KahanSum.add(delta * (f - (mean + cMean[0])), aux, cAux);
        }
        double variance = (aux + cAux[0]) / count;
        out[0] = stddev ? Math.sqrt(variance) : variance;
        return true;
    }

    static boolean madOverTime(RangeWindow w, double[] out) {
        int n = w.count();
        double[] values = w.scratch(n);
        for (int i = 0; i < n; i++) {
            double f = w.vs[w.from + i];
            if (Double.isNaN(f)) return set(out, Double.NaN);
            values[i] = f;
        }
        double median = Quantiles.quantile(0.5, values, n);
        for (int i = 0; i < n; i++) values[i] = Math.abs(values[i] - median);
        out[0] = Quantiles.quantile(0.5, values, n);
        return true;
    }

    static boolean doubleExponentialSmoothing(RangeWindow w, double[] out) {
        double sf = w.args[0], tf = w.args[1];
        if (sf <= 0 || sf >= 1) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "invalid smoothing factor. Expected: 0 < sf < 1, got: %f", sf));
        }
        if (tf <= 0 || tf >= 1) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "invalid trend factor. Expected: 0 < tf < 1, got: %f", tf));
        }
        int n = w.count();
        if (n < 2) return false;
        double s0 = 0, s1 = w.vs[w.from];
        double b = w.vs[w.from + 1] - w.vs[w.from];
        for (int i = 1; i < n; i++) {
            double x = sf * w.vs[w.from + i];
            if (i - 1 != 0) b = tf * (s1 - s0) + (1 - tf) * b;
            double y = (1 - sf) * (s1 + b);
            s0 = s1;
            s1 = x + y;
        }
        out[0] = s1;
        return true;
    }
}
