package tally.bench.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One simulated Claude Code session, minute by minute, as Tally stores it after delta-to-cumulative.
 * Evidence and uncertainties: bench/RESULTS.md, "Workload (a): realism".
 *
 * <p>Per active minute the main model makes 1-6 API requests. Each request carries tokens (input small because
 * of prompt caching, cacheRead = the growing context, cacheCreation = the new part) and a cost computed like
 * the CLI does: tokens x price per Mtok / 1e6, an exact multiple of 1e-8 USD evaluated in floating point.
 * The exported delta is the float sum of an interval's costs; Tally adds it to the running total.
 *
 * <p>{@code cumulative}: every series is exported every minute from its first measurement on (constant runs).
 * Delta (Claude Code's default): a series has a sample only in minutes with a measurement.
 * Export times drift: each collection is 0-8 ms later than one interval after the previous one.
 */
final class ClaudeSession {
    static final long INTERVAL = 60_000;
    /** $/Mtok: input, output, cacheRead, cacheCreation (sonnet-4-5, opus-4-1, haiku-4-5; checked against the captures). */
    private static final double[][] PRICES = {{3, 15, 0.3, 3.75}, {15, 75, 1.5, 18.75}, {1, 5, 0.1, 1.25}};
    private static final String[] TOKEN_TYPES = {"input", "output", "cacheRead", "cacheCreation"};

    /** A series under construction: running total, samples so far, and whether it had a point this minute. */
    static final class Track {
        final String kind;
        double total;
        double pending;
        boolean touched;
        boolean started;
        final List<long[]> times = new ArrayList<>();
        final List<Double> values = new ArrayList<>();

        Track(String kind) {
            this.kind = kind;
        }

        void add(double delta) {
            pending += delta; // the SDK sums the interval's measurements in floating point
            touched = true;
        }

        void export(long t, boolean cumulative) {
            if (touched) {
                total += pending;
                started = true;
            }
            if (touched || (cumulative && started)) {
                times.add(new long[] {t});
                values.add(total);
            }
            pending = 0;
            touched = false;
        }

        Series toSeries(int from, int len) {
            Series s = new Series(kind, len);
            for (int i = 0; i < len; i++) {
                s.t[i] = times.get(from + i)[0];
                s.v[i] = values.get(from + i);
            }
            return s;
        }

        int size() {
            return times.size();
        }
    }

    /** Per-model state: its tracks and the context size that cacheRead follows. */
    private static final class Model {
        final double[] price;
        final Track[] tokens = new Track[4];
        final Track cost;
        final Track linesAdded;
        final Track linesRemoved;
        double context;

        Model(int priceIdx, String prefix, List<Track> all, boolean edits, SplittableRandom r) {
            price = PRICES[priceIdx];
            for (int k = 0; k < 4; k++) {
                tokens[k] = track(all, prefix + "tokens." + TOKEN_TYPES[k]);
            }
            cost = track(all, prefix + "cost");
            linesAdded = edits ? track(all, "lines.added") : null;
            linesRemoved = edits ? track(all, "lines.removed") : null;
            context = r.nextInt(12_000, 20_000);
        }

        void request(SplittableRandom r) {
            long in = r.nextInt(8) == 0 ? r.nextInt(50, 3000) : r.nextInt(1, 60);
            long out = logUniform(r, 10, 4000);
            long cc = logUniform(r, 50, 6000);
            long cr = (long) context;
            context += cc + out;
            if (context > 160_000) {
                context = r.nextInt(20_000, 40_000); // auto-compaction
            }
            tokens[0].add(in);
            tokens[1].add(out);
            tokens[2].add(cr);
            tokens[3].add(cc);
            cost.add((in * price[0] + out * price[1] + cr * price[2] + cc * price[3]) / 1e6);
        }
    }

    private final List<Track> all = new ArrayList<>();
    private final List<Model> mains = new ArrayList<>();
    private final Model aux;
    private final Track commits;
    private final Track pullRequests;
    private final Track session;
    private final Track activeCli;
    private final Track activeUser;
    private final Track[] decisions;
    private final int switchMinute;
    private final SplittableRandom r;
    private final boolean cumulative;
    private long t;
    private boolean active = true;
    private int minute;

    ClaudeSession(SplittableRandom r, boolean cumulative, int expectedMinutes) {
        this.r = r;
        this.cumulative = cumulative;
        session = track(all, "session.count");
        int first = r.nextInt(10) < 7 ? 0 : 1;
        mains.add(new Model(first, "", all, true, r));
        // a quarter of sessions switch the main model once (/model): a second set of series from then on
        switchMinute = r.nextInt(4) == 0 ? r.nextInt(1, Math.max(2, expectedMinutes)) : Integer.MAX_VALUE;
        // haiku for subagents / auxiliary queries in half of the sessions
        aux = r.nextBoolean() ? new Model(2, "sub.", all, false, r) : null;
        activeCli = track(all, "active.time.cli");
        activeUser = track(all, "active.time.user");
        commits = track(all, "commits");
        pullRequests = track(all, "pull_requests");
        int nd = r.nextInt(2, 5);
        decisions = new Track[nd];
        for (int k = 0; k < nd; k++) {
            decisions[k] = track(all, "edit.decision");
        }
        t = 1_763_700_000_000L + r.nextLong(86_400_000L);
        session.add(1);
    }

    private static Track track(List<Track> all, String kind) {
        Track k = new Track(kind);
        all.add(k);
        return k;
    }

    /** Simulates one export interval and records the samples it produces. */
    void step() {
        if (minute == switchMinute) {
            mains.add(new Model(mains.size() == 1 && mains.get(0).price == PRICES[0] ? 1 : 0, "", all, true, r));
        }
        Model main = mains.get(mains.size() - 1);
        if (active) {
            int requests = r.nextInt(1, 7);
            double cli = 0;
            for (int k = 0; k < requests; k++) {
                main.request(r);
                cli += r.nextInt(500, 15_000) / 1e3;
            }
            activeCli.add(Math.min(cli, 59.0));
            if (r.nextInt(10) < 7) {
                activeUser.add(r.nextInt(200, 30_000) / 1e3);
            }
            if (aux != null && r.nextInt(4) == 0) {
                for (int k = r.nextInt(1, 3); k > 0; k--) {
                    aux.request(r);
                }
            }
            if (r.nextInt(100) < 35) {
                main.linesAdded.add(logUniform(r, 1, 300));
                main.linesRemoved.add(r.nextInt(3) == 0 ? 0 : logUniform(r, 1, 80)); // exported with added, 0 included
                decisions[r.nextInt(decisions.length)].add(r.nextInt(1, 4));
            }
            if (r.nextInt(100) < 5) {
                commits.add(1);
            }
            if (r.nextInt(1000) < 8) {
                pullRequests.add(1);
            }
        }
        active = active ? r.nextInt(10) < 8 : r.nextInt(10) < 3;
        for (Track k : all) {
            k.export(t, cumulative);
        }
        t += INTERVAL + exportLag(r);
        minute++;
    }

    /**
     * The exit: the SDK flushes once more (cumulative: every series; delta: only what is pending) a fraction of an
     * interval after the last export, as in the captures (the last gap was 519 ms).
     */
    void finish() {
        if (active && r.nextBoolean()) {
            activeCli.add(r.nextInt(200, 20_000) / 1e3);
        }
        long at = t - INTERVAL + r.nextInt(100, 59_000);
        for (Track k : all) {
            k.export(at, cumulative);
        }
    }

    List<Track> tracks() {
        return all;
    }

    /** Collection lateness per interval seen in the captures: 0 ms about half the time, else 1-8 ms. */
    static int exportLag(SplittableRandom r) {
        int k = r.nextInt(16);
        return k < 8 ? 0 : k < 12 ? 1 : k < 14 ? 2 : r.nextInt(3, 9);
    }

    private static long logUniform(SplittableRandom r, long lo, long hi) {
        return Math.round(Math.exp(r.nextDouble(Math.log(lo), Math.log(hi))));
    }
}
