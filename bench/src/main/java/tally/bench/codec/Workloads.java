package tally.bench.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic sample series for the codec benchmarks.
 *
 * <p>(a) Claude Code sessions simulated by {@link ClaudeSession}: token usage by type and model, cost by model,
 * lines added/removed, edit decisions, commits, pull requests, session count, active time (cli, user), exported
 * every 60 s with the export drift of the captures. {@link #claude} gives fixed-length chunks (cumulative
 * temporality); {@link #claudeSessions} gives whole sessions in either temporality.
 *
 * <p>(b) The 10k-series synthetic workload: half random-walk gauges rounded to 2 decimals (step N(0,1) * 0.5),
 * half integer-step counters (increments uniform 0..100), exact 15 s interval.
 */
public final class Workloads {
    private Workloads() {}

    /**
     * Claude Code series of {@code len} samples, at least {@code minSeries} of them, with the cumulative
     * temporality (every series exported every minute once it exists): the series of each simulated session
     * that reach {@code len} samples within 3 x len minutes, from their first sample on.
     */
    public static List<Series> claude(int len, int minSeries, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Series> out = new ArrayList<>();
        while (out.size() < minSeries) {
            ClaudeSession s = new ClaudeSession(r, true, len);
            for (int m = 0; m < 3 * len; m++) {
                s.step();
            }
            for (ClaudeSession.Track k : s.tracks()) {
                if (k.size() >= len) {
                    out.add(k.toSeries(0, len));
                }
            }
        }
        return out.subList(0, minSeries);
    }

    /**
     * Whole Claude Code sessions (length log-uniform over 5 min .. 8 h, median ~1 h), every series of each
     * session cut into chunks of at most {@code cut} samples, as the head stores them. {@code cumulative}
     * false is Claude Code's default delta temporality: a series has samples only in minutes it changed.
     */
    public static List<Series> claudeSessions(int cut, long minSamples, boolean cumulative, long seed) {
        List<Series> out = new ArrayList<>();
        for (SessionSeries s : claudeSessionSeries(cut, minSamples, cumulative, seed)) {
            out.addAll(s.chunks());
        }
        return out;
    }

    /** One series of a simulated session (session number, its index in the session) and its chunks. */
    public record SessionSeries(int session, int index, String kind, List<Series> chunks) {}

    /** The same data as {@link #claudeSessions}, keeping which session and series each chunk belongs to. */
    public static List<SessionSeries> claudeSessionSeries(int cut, long minSamples, boolean cumulative, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<SessionSeries> out = new ArrayList<>();
        long samples = 0;
        for (int session = 0; samples < minSamples; session++) {
            int minutes = (int) Math.round(Math.exp(r.nextDouble(Math.log(5), Math.log(480))));
            ClaudeSession s = new ClaudeSession(r, cumulative, minutes);
            for (int m = 0; m < minutes; m++) {
                s.step();
            }
            s.finish();
            List<ClaudeSession.Track> tracks = s.tracks();
            for (int i = 0; i < tracks.size(); i++) {
                ClaudeSession.Track k = tracks.get(i);
                List<Series> chunks = new ArrayList<>();
                for (int from = 0; from < k.size(); from += cut) {
                    Series c = k.toSeries(from, Math.min(cut, k.size() - from));
                    chunks.add(c);
                    samples += c.size();
                }
                if (!chunks.isEmpty()) {
                    out.add(new SessionSeries(session, i, k.kind, chunks));
                }
            }
        }
        return out;
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

    private static double gaussian(SplittableRandom r) {
        // Box-Muller; SplittableRandom has no nextGaussian on Java 17
        double u = 1 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
