package tally.rules.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import tally.model.AppendException;
import tally.model.Appendable;
import tally.model.Appender;
import tally.model.Labels;
import tally.model.Querier;
import tally.model.Queryable;
import tally.model.SampleIterator;
import tally.model.SelectHints;
import tally.model.Series;
import tally.model.SeriesSet;
import tally.model.StaleNaN;
import tally.promql.engine.Sample;

/**
 * A group of rules evaluated together, with Prometheus 3.x semantics: one timestamp {@code ts} per evaluation, every
 * rule querying at {@code ts - queryOffset} and writing there, in file order, each rule's results committed before the
 * next rule runs (so later rules see them). A series a rule wrote last time and not this time gets a staleness
 * marker; a failed rule writes nothing and keeps its previous set. Not thread-safe: the manager never runs two
 * evaluations of one group at once.
 */
public final class RuleGroup {
    private static final System.Logger LOG = System.getLogger(RuleGroup.class.getName());

    /** What a group needs from outside: its query path, the storage, the notifier and Prometheus's alerting flags. */
    public record Context(RuleQuery query, Appendable appendable, Queryable queryable, AlertSender sender,
                          long resendDelayMs, long outageToleranceMs, long forGracePeriodMs, String externalURL) {}

    private final String name;
    private final String file;
    private final long intervalMs;
    private final long queryOffsetMs;
    private final int limit;
    private final List<Rule> rules;
    private final Context ctx;
    private List<Set<Labels>> seriesInPreviousEval;
    /** Series of rules that are gone (reload), to be marked stale at the next evaluation. */
    private List<Labels> staleSeries = new ArrayList<>();
    private boolean shouldRestore;

    // what the API and /metrics show
    private volatile long evaluationNanos;
    private volatile long lastEvaluationMillis;
    private volatile long lastEvalTimestamp = Alert.UNSET;
    private volatile long lastSamples;
    final AtomicLong evaluations = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final AtomicLong iterations = new AtomicLong();
    final AtomicLong missed = new AtomicLong();

    public RuleGroup(String name, String file, long intervalMs, long queryOffsetMs, int limit, List<Rule> rules,
                     boolean shouldRestore, Context ctx) {
        this.name = name;
        this.file = file;
        this.intervalMs = intervalMs;
        this.queryOffsetMs = queryOffsetMs;
        this.limit = limit;
        this.rules = List.copyOf(rules);
        this.shouldRestore = shouldRestore;
        this.ctx = ctx;
        this.seriesInPreviousEval = new ArrayList<>(rules.size());
        for (int i = 0; i < rules.size(); i++) seriesInPreviousEval.add(Set.of());
    }

    /** "file;name": groups are unique by both (names repeat across files). */
    public String key() { return file + ";" + name; }

    public String name() { return name; }

    public String file() { return file; }

    public long intervalMillis() { return intervalMs; }

    public long queryOffsetMillis() { return queryOffsetMs; }

    public int limit() { return limit; }

    public List<Rule> rules() { return rules; }

    public long evaluationNanos() { return evaluationNanos; }

    public long lastEvaluationMillis() { return lastEvaluationMillis; }

    public long lastEvalTimestamp() { return lastEvalTimestamp; }

    public long lastSamples() { return lastSamples; }

    public long evaluationsTotal() { return evaluations.get(); }

    public long failuresTotal() { return failures.get(); }

    public long iterationsTotal() { return iterations.get(); }

    public long iterationsMissed() { return missed.get(); }

    boolean shouldRestore() { return shouldRestore; }

    /**
     * The evaluation slot at or before {@code now} for this group: multiples of the interval shifted by the phase
     * Prometheus derives from the group's file and name ({@link GroupPhase}), so groups spread over the interval,
     * keep their slots across restarts and evaluate at the timestamps Prometheus would.
     */
    public long evalTimestamp(long now) {
        long intervalNs = intervalMs * 1_000_000L;
        long offsetNs = GroupPhase.offsetNanos(file, name, intervalNs);
        // Prometheus works in nanoseconds and stores milliseconds (truncated): the same here
        long nowNs = now * 1_000_000L;
        long adj = nowNs - offsetNs;
        long base = adj - Math.floorMod(adj, intervalNs);
        return Math.floorDiv(base + offsetNs, 1_000_000L);
    }

    /** One evaluation of every rule at group time {@code ts}; {@code nowMillis} is the wall clock at its start. */
    public void eval(long ts, long nowMillis) {
        long started = System.nanoTime();
        long samples = 0;
        for (int i = 0; i < rules.size(); i++) samples += evalRule(i, ts);
        cleanupStaleSeries(ts);
        evaluationNanos = System.nanoTime() - started;
        lastEvaluationMillis = nowMillis;
        lastEvalTimestamp = ts;
        lastSamples = samples;
        iterations.incrementAndGet();
    }

    private long evalRule(int i, long ts) {
        Rule rule = rules.get(i);
        long startedMillis = System.currentTimeMillis();
        long started = System.nanoTime();
        evaluations.incrementAndGet();
        List<Sample> vector;
        try {
            vector = rule.eval(ts, queryOffsetMs, ctx.query(), limit);
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            rule.recordOutcome(msg, startedMillis, System.nanoTime() - started);
            LOG.log(System.Logger.Level.WARNING, "evaluating rule failed: group=" + key() + " rule=" + rule.name() + " err=" + msg);
            return 0;
        }
        rule.recordOutcome(null, startedMillis, System.nanoTime() - started);
        if (rule instanceof AlertingRule ar) sendAlerts(ar, ts);
        Appender app = ctx.appendable().appender();
        Set<Labels> returned = new HashSet<>(vector.size() * 2);
        int refused = 0;
        String firstRefusal = null;
        for (Sample s : vector) {
            try {
                app.append(0, s.labels(), s.t(), s.v());
                returned.add(s.labels());
            } catch (AppendException e) {
                refused++;
                if (firstRefusal == null) firstRefusal = e.getMessage();
            }
        }
        long staleT = ts - queryOffsetMs;
        for (Labels gone : seriesInPreviousEval.get(i)) {
            if (returned.contains(gone)) continue;
            try {
                app.append(0, gone, staleT, StaleNaN.VALUE);
            } catch (AppendException ignored) {
                // another rule writes this series now, or it was already marked: nothing to do
            }
        }
        try {
            app.commit();
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            rule.failedAppend(String.valueOf(e.getMessage()));
            LOG.log(System.Logger.Level.WARNING, "rule sample appending failed: group=" + key() + " rule=" + rule.name() + " err=" + e);
            return vector.size();
        }
        if (refused > 0) {
            LOG.log(System.Logger.Level.WARNING, "rule evaluation results discarded: group=" + key() + " rule=" + rule.name()
                    + " num_dropped=" + refused + " err=" + firstRefusal);
        }
        seriesInPreviousEval.set(i, returned);
        return vector.size();
    }

    private void sendAlerts(AlertingRule ar, long ts) {
        List<Alert> due = ar.alertsToSend(ts, ctx.resendDelayMs(), intervalMs);
        if (due.isEmpty() || ctx.sender() == null) return;
        List<AlertSender.SentAlert> out = new ArrayList<>(due.size());
        String url = ctx.externalURL() + ar.generatorPath();
        for (Alert a : due) {
            long endsAt = a.resolvedAt != Alert.UNSET ? a.resolvedAt : a.validUntil;
            out.add(new AlertSender.SentAlert(a.labels, a.annotations, a.firedAt, endsAt, url));
        }
        ctx.sender().send(out);
    }

    /** Marks the series of rules no longer configured stale, at this evaluation's time. */
    private void cleanupStaleSeries(long ts) {
        if (staleSeries.isEmpty()) return;
        Appender app = ctx.appendable().appender();
        for (Labels s : staleSeries) {
            try {
                app.append(0, s, ts - queryOffsetMs, StaleNaN.VALUE);
            } catch (AppendException ignored) {
                // written by another rule now
            }
        }
        try {
            app.commit();
            staleSeries = new ArrayList<>();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "stale sample appending for previous configuration failed: group=" + key() + " err=" + e);
        }
    }

    /** Stopped for good (removed at reload or shutdown of a removed group): every series it wrote is marked stale. */
    void markAllStale(long ts) {
        for (Set<Labels> s : seriesInPreviousEval) staleSeries.addAll(s);
        seriesInPreviousEval = new ArrayList<>();
        cleanupStaleSeries(ts);
    }

    /**
     * Takes over the state of the group it replaces at a reload: the alerts and written series of rules with the same
     * name and labels (the first with the first when several match), and the series of rules that are gone, which are
     * marked stale at the next evaluation.
     */
    void copyStateFrom(RuleGroup from) {
        evaluationNanos = from.evaluationNanos;
        lastEvaluationMillis = from.lastEvaluationMillis;
        lastEvalTimestamp = from.lastEvalTimestamp;
        lastSamples = from.lastSamples;
        // counters belong to the group key, as Prometheus's metric vectors do: a changed group continues them
        evaluations.set(from.evaluations.get());
        failures.set(from.failures.get());
        iterations.set(from.iterations.get());
        missed.set(from.missed.get());
        Map<String, List<Integer>> byKey = new HashMap<>();
        for (int fi = 0; fi < from.rules.size(); fi++) byKey.computeIfAbsent(ruleKey(from.rules.get(fi)), k -> new ArrayList<>()).add(fi);
        for (int i = 0; i < rules.size(); i++) {
            List<Integer> candidates = byKey.get(ruleKey(rules.get(i)));
            if (candidates == null || candidates.isEmpty()) continue;
            int fi = candidates.remove(0);
            if (fi < from.seriesInPreviousEval.size()) seriesInPreviousEval.set(i, from.seriesInPreviousEval.get(fi));
            if (rules.get(i) instanceof AlertingRule ar && from.rules.get(fi) instanceof AlertingRule far) ar.copyActiveFrom(far);
        }
        staleSeries.addAll(from.staleSeries);
        for (List<Integer> left : byKey.values()) {
            for (int fi : left) if (fi < from.seriesInPreviousEval.size()) staleSeries.addAll(from.seriesInPreviousEval.get(fi));
        }
    }

    private static String ruleKey(Rule r) {
        return r.name() + r.labels();
    }

    /** Same name, file, interval, offset, limit and rules: a reload keeps such a group running as it is. */
    boolean sameAs(RuleGroup g) {
        if (!name.equals(g.name) || !file.equals(g.file) || intervalMs != g.intervalMs || limit != g.limit
                || queryOffsetMs != g.queryOffsetMs || rules.size() != g.rules.size()) {
            return false;
        }
        for (int i = 0; i < rules.size(); i++) if (!rules.get(i).describe().equals(g.rules.get(i).describe())) return false;
        return true;
    }

    /**
     * Restores the {@code for} state of alerting rules after a start, from {@code ALERTS_FOR_STATE} written within
     * the outage tolerance before {@code ts}: an alert pending when the server went down continues where it was
     * (its activeAt moved forward by the downtime), one that had fired fires again, and one that would fire within
     * the grace period gets the grace period. Rules whose {@code for} is shorter than the grace period start over.
     */
    void restoreForState(long ts) {
        shouldRestore = false;
        try (Querier q = ctx.queryable().querier(ts - ctx.outageToleranceMs(), ts)) {
            for (Rule r : rules) {
                if (!(r instanceof AlertingRule ar)) continue;
                if (ar.holdMillis() < ctx.forGracePeriodMs()) {
                    ar.setRestored();
                    continue;
                }
                Map<Labels, long[]> last = new HashMap<>(); // alert labels -> {t, bits} of the newest sample
                SeriesSet set = q.select(false, SelectHints.range(ts - ctx.outageToleranceMs(), ts), ar.forStateMatchers());
                while (set.next()) {
                    Series s = set.at();
                    SampleIterator it = s.iterator(null);
                    long t = Long.MIN_VALUE;
                    double v = 0;
                    while (it.next()) {
                        t = it.atT();
                        v = it.atV();
                    }
                    if (t != Long.MIN_VALUE) last.put(s.labels().withoutMetricName(), new long[] {t, Double.doubleToRawLongBits(v)});
                }
                for (Labels alertLabels : ar.activeLabels()) {
                    long[] tv = last.get(alertLabels);
                    if (tv == null) continue;
                    double v = Double.longBitsToDouble(tv[1]);
                    if (StaleNaN.is(v)) continue; // the alert was not active
                    long downAt = Math.floorDiv(tv[0], 1000L) * 1000L;
                    long restoredActiveAt = (long) v * 1000L;
                    long remaining = ar.holdMillis() - (downAt - restoredActiveAt);
                    long newActiveAt;
                    if (remaining <= 0) {
                        newActiveAt = restoredActiveAt; // it was firing: it fires again at the next evaluation
                    } else if (remaining < ctx.forGracePeriodMs()) {
                        newActiveAt = ts + ctx.forGracePeriodMs() - ar.holdMillis();
                    } else {
                        newActiveAt = restoredActiveAt + (ts - downAt);
                    }
                    ar.restoreActiveAt(alertLabels, current -> newActiveAt);
                }
                ar.setRestored();
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "restoring 'for' state failed: group=" + key() + " err=" + e);
            for (Rule r : rules) if (r instanceof AlertingRule ar) ar.setRestored();
        }
    }
}
