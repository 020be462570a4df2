package tally.bench.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic sample series for the codec benchmarks.
 *
 * <p>(a) Claude Code sessions: cumulative counters (after delta-to-cumulative) exported every 60 s, half the
 * sessions with export jitter as recorded (on the interval about half the time, else 1-8 ms late). A session alternates active and idle stretches (idle = the value
 * repeats). Per session: token usage by type, a USD cost counter built as a float sum of per-request costs
 * (short decimals whose sum is not), lines added/removed, commits, code-edit decisions, the session count,
 * and active time in seconds (float sum of millisecond-precision durations).
 *
 * <p>(b) The 10k-series synthetic workload: half random-walk gauges rounded to 2 decimals (step N(0,1) * 0.5),
 * half integer-step counters (increments uniform 0..100), exact 15 s interval.
 */
public final class Workloads {
    private static final String[] TOKEN_TYPES = {"input", "output", "cacheRead", "cacheCreation"};

    private Workloads() {}

    /** Claude Code-like series of {@code len} samples, at least {@code minSeries} of them. */
    public static List<Series> claude(int len, int minSeries, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Series> out = new ArrayList<>();
        while (out.size() < minSeries) {
            session(len, r, out);
        }
        return out.subList(0, minSeries);
    }

    /** Synthetic gauges and counters of {@code len} samples, {@code count} series (half of each). */
    public static List<Series> synthetic(int len, int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Series> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            boolean gauge = k % 2 == 0;
            Series s = new Series(gauge ? "gauge" : "counter", len);
            long t = 1_763_700_000_000L + r.nextLong(15_000);
            double x = gauge ? Math.round(r.nextDouble(0, 100) * 100) / 100.0 : r.nextInt(0, 1_000_000);
            for (int i = 0; i < len; i++) {
                s.t[i] = t;
                s.v[i] = x;
                t += 15_000;
                if (gauge) {
                    x = Math.round((x + gaussian(r) * 0.5) * 100) / 100.0;
                } else {
                    x += r.nextInt(0, 101);
                }
            }
            out.add(s);
        }
        return out;
    }

    private static void session(int len, SplittableRandom r, List<Series> out) {
        int models = r.nextInt(4) == 0 ? 2 : 1;
        long start = 1_763_700_000_000L + r.nextLong(86_400_000L) / 1000 * 1000 + r.nextInt(1000);
        boolean jitter = r.nextBoolean();
        long[] times = new long[len];
        long t = start;
        for (int i = 0; i < len; i++) {
            times[i] = t;
            t += 60_000 + (jitter ? exportLag(r) : 0);
        }
        boolean[] active = new boolean[len];
        boolean a = true;
        for (int i = 0; i < len; i++) {
            active[i] = a;
            a = a ? r.nextInt(10) < 8 : r.nextInt(10) < 3;
        }
        for (int m = 0; m < models; m++) {
            for (String type : TOKEN_TYPES) {
                out.add(counter("tokens." + type, times, active, r, type));
            }
            out.add(cost(times, active, r));
            out.add(counter("lines.added", times, active, r, "lines"));
            out.add(counter("lines.removed", times, active, r, "lines"));
        }
        out.add(counter("commits", times, active, r, "commits"));
        out.add(counter("edit.decision", times, active, r, "decisions"));
        out.add(counter("session.count", times, active, r, "session"));
        out.add(activeTime(times, active, r));
    }

    /** Export delay as seen in the recorded captures: on time about half the time, else 1-8 ms late. */
    private static int exportLag(SplittableRandom r) {
        int k = r.nextInt(16);
        return k < 8 ? 0 : k < 12 ? 1 : k < 14 ? 2 : r.nextInt(3, 9);
    }

    private static Series counter(String kind, long[] times, boolean[] active, SplittableRandom r, String what) {
        Series s = new Series(kind, times.length);
        double x = 0;
        for (int i = 0; i < times.length; i++) {
            if (active[i]) {
                x += increment(what, r);
            }
            if (what.equals("session")) {
                x = 1;
            }
            s.t[i] = times[i];
            s.v[i] = x;
        }
        return s;
    }

    private static long increment(String what, SplittableRandom r) {
        switch (what) {
            case "input": return r.nextInt(3, 400);
            case "output": return r.nextInt(20, 6000);
            case "cacheRead": return r.nextInt(8) == 0 ? 0 : r.nextInt(10_000, 250_000);
            case "cacheCreation": return r.nextInt(300, 20_000);
            case "lines": return r.nextInt(3) == 0 ? r.nextInt(1, 200) : 0;
            case "commits": return r.nextInt(10) == 0 ? 1 : 0;
            case "decisions": return r.nextInt(3) == 0 ? r.nextInt(1, 5) : 0;
            default: return 0;
        }
    }

    private static Series cost(long[] times, boolean[] active, SplittableRandom r) {
        Series s = new Series("cost", times.length);
        double x = 0;
        for (int i = 0; i < times.length; i++) {
            if (active[i]) {
                // the interval's delta is itself a float sum of a few per-request costs with <= 8 decimals
                double delta = 0;
                int requests = r.nextInt(1, 5);
                for (int k = 0; k < requests; k++) {
                    delta += r.nextInt(1_000, 12_000_000) / 1e8;
                }
                x += delta;
            }
            s.t[i] = times[i];
            s.v[i] = x;
        }
        return s;
    }

    private static Series activeTime(long[] times, boolean[] active, SplittableRandom r) {
        Series s = new Series("active.time", times.length);
        double x = 0;
        for (int i = 0; i < times.length; i++) {
            if (active[i]) {
                // like cost: the exported delta is a float sum, added once to the running total
                double delta = 0;
                int pieces = r.nextInt(1, 4);
                for (int k = 0; k < pieces; k++) {
                    delta += r.nextInt(100, 20_000) / 1e3;
                }
                x += delta;
            }
            s.t[i] = times[i];
            s.v[i] = x;
        }
        return s;
    }

    private static double gaussian(SplittableRandom r) {
        // Box-Muller; SplittableRandom has no nextGaussian on Java 17
        double u = 1 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
