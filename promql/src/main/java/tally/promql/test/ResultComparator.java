package tally.promql.test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tally.model.Labels;

/**
 * Compares a query result with what an eval block expects, with promqltest's rules: labels must
 * match exactly as sets, values within {@link AlmostEqual}, order only when ordered, matrix points
 * at {@code start + i*step}. Returns null when equal, else the mismatch in one line.
 */
public final class ResultComparator {
    private ResultComparator() {}

    /**
     * @param start matrix timestamps of expected values start here
     * @param end   latest timestamp an expected value may have (Long.MIN_VALUE: none may)
     */
    public static String compare(EvalCommand cmd, ActualValue value, long start, long end, long step) {
        if (value instanceof ActualValue.Matrix m) return compareMatrix(cmd, m, start, end, step);
        if (value instanceof ActualValue.Vector v) return compareVector(cmd, v);
        if (value instanceof ActualValue.Scalar s) {
            if (!cmd.expectsScalar()) return "expected vector or matrix result, but got scalar " + GoNumbers.format(s.v());
            if (!AlmostEqual.equal(cmd.expectedScalar(), s.v())) {
                return "expected scalar " + GoNumbers.format(cmd.expectedScalar()) + " but got " + GoNumbers.format(s.v());
            }
            return null;
        }
        ActualValue.Str str = (ActualValue.Str) value;
        String want = cmd.expectedString() == null ? "" : cmd.expectedString();
        return want.equals(str.v()) ? null : "expected string \"" + want + "\" but got \"" + str.v() + "\"";
    }

    private static String compareVector(EvalCommand cmd, ActualValue.Vector vec) {
        if (cmd.expectsScalar()) return "expected scalar result, but got vector " + describe(vec);
        Map<Labels, EvalCommand.ExpectedSeries> expected = cmd.expected();
        Set<Labels> seen = new HashSet<>();
        List<ActualValue.Sample> samples = vec.samples();
        for (int pos = 0; pos < samples.size(); pos++) {
            ActualValue.Sample s = samples.get(pos);
            EvalCommand.ExpectedSeries exp = expected.get(s.labels());
            if (exp == null) return "unexpected metric " + s.labels() + " in result, has value " + GoNumbers.format(s.v());
            if (cmd.isOrdered() && exp.position() != pos + 1) {
                return "expected metric " + s.labels() + " with " + exp.values() + " at position " + exp.position()
                        + " but was at " + (pos + 1);
            }
            SeqValue want = exp.values().get(0);
            if (!AlmostEqual.equal(want.value(), s.v())) {
                return "expected " + want + " for " + s.labels() + " but got " + GoNumbers.format(s.v());
            }
            seen.add(s.labels());
        }
        for (Map.Entry<Labels, EvalCommand.ExpectedSeries> e : expected.entrySet()) {
            if (!seen.contains(e.getKey())) {
                return "expected metric " + e.getKey() + " with " + e.getValue().values() + " not found";
            }
        }
        return null;
    }

    private static String compareMatrix(EvalCommand cmd, ActualValue.Matrix m, long start, long end, long step) {
        if (cmd.isOrdered()) return "expected ordered result, but query returned a matrix";
        if (cmd.expectsScalar()) return "expected scalar result, but got matrix " + describe(m);
        List<ActualValue.Points> series = m.series();
        for (int i = 0; i + 1 < series.size(); i++) {
            if (series.get(i).labels().compareTo(series.get(i + 1).labels()) > 0) {
                return "matrix results should always be sorted by labels, but series " + series.get(i + 1).labels()
                        + " at index " + (i + 1) + " sorts before " + series.get(i).labels() + " at index " + i;
            }
        }
        Map<Labels, EvalCommand.ExpectedSeries> expected = cmd.expected();
        Set<Labels> seen = new HashSet<>();
        for (ActualValue.Points s : series) {
            EvalCommand.ExpectedSeries exp = expected.get(s.labels());
            if (exp == null) return "unexpected metric " + s.labels() + " in result, has " + s.describe();
            seen.add(s.labels());
            int n = exp.values().size();
            long[] wantTs = new long[n];
            double[] wantVs = new double[n];
            int floats = 0;
            int histograms = 0;
            for (int i = 0; i < exp.values().size(); i++) {
                long ts = start + i * step;
                if (ts > end) {
                    return "expected " + exp.values().size() + " points for " + s.labels()
                            + ", but query time range cannot return this many points";
                }
                SeqValue v = exp.values().get(i);
                if (v.kind() == SeqValue.Kind.HISTOGRAM) histograms++;
                if (v.kind() == SeqValue.Kind.FLOAT) {
                    wantTs[floats] = ts;
                    wantVs[floats++] = v.value();
                }
            }
            if (floats != s.count() || histograms != 0) {
                return "expected " + floats + " float points and " + histograms + " histogram points for "
                        + s.labels() + ", but got " + s.describe();
            }
            for (int i = 0; i < floats; i++) {
                if (wantTs[i] != s.ts()[i]) {
                    return "expected float value at index " + i + " for " + s.labels() + " to have timestamp "
                            + wantTs[i] + ", but it had timestamp " + s.ts()[i] + " (result has " + s.describe() + ")";
                }
                if (!AlmostEqual.equal(wantVs[i], s.vs()[i])) {
                    return "expected float value at index " + i + " (t=" + s.ts()[i] + ") for " + s.labels() + " to be "
                            + GoNumbers.format(wantVs[i]) + ", but got " + GoNumbers.format(s.vs()[i])
                            + " (result has " + s.describe() + ")";
                }
            }
        }
        for (Labels l : expected.keySet()) {
            if (!seen.contains(l)) return "expected metric " + l + " not found";
        }
        return null;
    }

    static String describe(ActualValue v) {
        if (v instanceof ActualValue.Scalar s) return "scalar " + GoNumbers.format(s.v());
        if (v instanceof ActualValue.Str s) return "string \"" + s.v() + "\"";
        StringBuilder sb = new StringBuilder();
        if (v instanceof ActualValue.Vector vec) {
            sb.append('{');
            for (int i = 0; i < vec.samples().size(); i++) {
                if (i > 0) sb.append(", ");
                ActualValue.Sample s = vec.samples().get(i);
                sb.append(s.labels()).append(" => ").append(GoNumbers.format(s.v()));
            }
            return sb.append('}').toString();
        }
        ActualValue.Matrix m = (ActualValue.Matrix) v;
        sb.append('{');
        for (int i = 0; i < m.series().size(); i++) {
            if (i > 0) sb.append(", ");
            ActualValue.Points p = m.series().get(i);
            sb.append(p.labels()).append(" => ").append(p.describe());
        }
        return sb.append('}').toString();
    }
}
