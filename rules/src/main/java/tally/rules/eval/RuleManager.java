package tally.rules.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import tally.model.Labels;
import tally.model.LabelsBuilder;
import tally.rules.file.RuleFile;
import tally.rules.file.RuleFileParser;
import tally.rules.file.RuleGroupSpec;
import tally.rules.file.RuleLoadException;
import tally.rules.file.RuleSource;
import tally.rules.file.RuleSpec;
import tally.rules.template.TemplateException;

/**
 * Loads rule files into groups and runs each group on its interval at its own phase, as Prometheus's rule manager
 * does. A reload is all or nothing: every file must load, else the running rules stay and the errors are returned;
 * groups that did not change keep running untouched, changed ones take over the state of the ones they replace
 * (alerts, written series), removed ones mark their series stale two intervals later. Groups are evaluated on a
 * small pool of threads; one group's evaluations never overlap, and an evaluation that overruns skips the slots it
 * missed (counted).
 */
public final class RuleManager implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RuleManager.class.getName());

    /** Settings of one load (from prometheus.yml and the flags). */
    public record Options(long defaultIntervalMs, long defaultQueryOffsetMs, Map<String, String> externalLabels,
                          String externalURL, long resendDelayMs, long outageToleranceMs, long forGracePeriodMs) {}

    private final RuleQuery query;
    private final tally.model.Appendable appendable;
    private final tally.model.Queryable queryable;
    private final AlertSender sender;
    private final RuleFileParser parser;
    private final LongSupplier clock;
    private final ScheduledThreadPoolExecutor pool;
    private final Map<String, Runner> running = new LinkedHashMap<>();
    /** The first load restores alerts' for state from storage; groups added by later reloads start afresh. */
    private boolean loadedOnce;
    private boolean closed;

    public RuleManager(RuleQuery query, tally.model.Appendable appendable, tally.model.Queryable queryable, AlertSender sender,
                       RuleFileParser parser, LongSupplier clock, int threads) {
        this.query = query;
        this.appendable = appendable;
        this.queryable = queryable;
        this.sender = sender;
        this.parser = parser;
        this.clock = clock;
        this.pool = new ScheduledThreadPoolExecutor(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "tally-rules");
            t.setDaemon(true);
            return t;
        });
        pool.setRemoveOnCancelPolicy(true);
        pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /**
     * Loads {@code files} (names as shown in the API and errors) and replaces the running groups with theirs.
     *
     * @throws RuleLoadException with every error of every file; nothing changes then
     */
    public synchronized void update(List<RuleSource> files, Options opts) throws RuleLoadException {
        if (closed) return;
        List<RuleGroup> groups = load(files, opts, !loadedOnce);
        loadedOnce = true;
        Map<String, Runner> old = new HashMap<>(running);
        running.clear();
        for (RuleGroup g : groups) {
            Runner prev = old.remove(g.key());
            if (prev != null && prev.group.sameAs(g)) {
                running.put(g.key(), prev);
                continue;
            }
            if (prev != null) {
                prev.stop();
                g.copyStateFrom(prev.group);
            }
            Runner r = new Runner(g);
            running.put(g.key(), r);
            r.start();
        }
        for (Runner gone : old.values()) {
            gone.stop();
            // two intervals give a renamed rule the chance to write its series first
            pool.schedule(() -> gone.group.markAllStale(gone.group.evalTimestamp(clock.getAsLong())),
                    2 * gone.group.intervalMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Parses and builds groups without running them (`tally check rules` and rule unit tests use this too). */
    public List<RuleGroup> load(List<RuleSource> files, Options opts, boolean restore) throws RuleLoadException {
        List<String> errors = new ArrayList<>();
        List<RuleFile> parsed = new ArrayList<>();
        for (RuleSource f : files) {
            try {
                parsed.add(parser.parse(f.read(), f.name()));
            } catch (RuleLoadException e) {
                errors.addAll(e.errors());
            }
        }
        if (!errors.isEmpty()) throw new RuleLoadException(errors);
        RuleGroup.Context ctx = new RuleGroup.Context(query, appendable, queryable, sender, opts.resendDelayMs(),
                opts.outageToleranceMs(), opts.forGracePeriodMs(), opts.externalURL());
        List<RuleGroup> groups = new ArrayList<>();
        for (RuleFile file : parsed) {
            for (RuleGroupSpec spec : file.groups()) {
                try {
                    groups.add(build(file.path(), spec, opts, restore, ctx));
                } catch (TemplateException e) {
                    errors.add(file.path() + ": group \"" + spec.name() + "\": " + e.getMessage());
                }
            }
        }
        if (!errors.isEmpty()) throw new RuleLoadException(errors);
        return groups;
    }

    private static RuleGroup build(String file, RuleGroupSpec spec, Options opts, boolean restore, RuleGroup.Context ctx)
            throws TemplateException {
        long interval = spec.intervalMillis() != null && spec.intervalMillis() > 0 ? spec.intervalMillis() : opts.defaultIntervalMs();
        long offset = spec.queryOffsetMillis() != null ? spec.queryOffsetMillis() : opts.defaultQueryOffsetMs();
        List<Rule> rules = new ArrayList<>(spec.rules().size());
        boolean hasAlerts = false;
        for (RuleSpec r : spec.rules()) {
            LabelsBuilder b = new LabelsBuilder();
            for (Map.Entry<String, String> l : spec.labels().entrySet()) b.set(l.getKey(), l.getValue());
            for (Map.Entry<String, String> l : r.labels().entrySet()) b.set(l.getKey(), l.getValue());
            Labels labels = b.build();
            if (r.isAlert()) {
                hasAlerts = true;
                rules.add(new AlertingRule(r.alert(), r.expr(), r.exprText(), r.forMillis(), r.keepFiringForMillis(), labels,
                        r.annotations(), opts.externalLabels(), opts.externalURL(), !restore));
            } else {
                rules.add(new RecordingRule(r.record(), r.expr(), r.exprText(), labels));
            }
        }
        return new RuleGroup(spec.name(), file, interval, offset, spec.limit(), rules, restore && hasAlerts, ctx);
    }

    /** Running groups, by file then name (as the API lists them). */
    public synchronized List<RuleGroup> groups() {
        List<RuleGroup> out = new ArrayList<>();
        for (Runner r : running.values()) out.add(r.group);
        out.sort(Comparator.comparing(RuleGroup::file).thenComparing(RuleGroup::name));
        return out;
    }

    /** Stops every group (without marking its series stale: they resume after a restart). */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        for (Runner r : running.values()) r.stop();
        running.clear();
        pool.shutdownNow();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Schedules one group: the first slot after now, then every interval; restores for state after the second. */
    private final class Runner {
        final RuleGroup group;
        private final Object lock = new Object();
        private ScheduledFuture<?> next;
        private long evalTs;
        private int done;
        private volatile boolean stopped;

        Runner(RuleGroup group) {
            this.group = group;
        }

        void start() {
            long now = clock.getAsLong();
            evalTs = group.evalTimestamp(now) + group.intervalMillis();
            schedule(now);
        }

        private void schedule(long now) {
            synchronized (lock) {
                if (stopped) return;
                try {
                    next = pool.schedule(this::run, Math.max(0, evalTs - now), TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException closing) {
                    // the manager is closing
                }
            }
        }

        private void run() {
            synchronized (lock) {
                if (stopped) return;
                long now = clock.getAsLong();
                try {
                    group.eval(evalTs, now);
                    if (++done == 2 && group.shouldRestore()) group.restoreForState(clock.getAsLong());
                } catch (Throwable e) {
                    tally.model.Fatal.exitOnOutOfMemory(e);
                    LOG.log(System.Logger.Level.ERROR, "rule group " + group.key() + " evaluation failed", e);
                }
                now = clock.getAsLong();
                long behind = (now - evalTs) / group.intervalMillis() - 1;
                if (behind > 0) {
                    group.missed.addAndGet(behind);
                    LOG.log(System.Logger.Level.WARNING, "rule group " + group.key() + " missed " + behind + " evaluations");
                }
                evalTs += (Math.max(0, behind) + 1) * group.intervalMillis();
            }
            schedule(clock.getAsLong());
        }

        void stop() {
            synchronized (lock) {
                stopped = true;
                if (next != null) next.cancel(false);
            }
        }
    }
}
