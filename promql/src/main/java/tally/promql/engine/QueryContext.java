package tally.promql.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import tally.model.Querier;
import tally.promql.ast.Expr;
import tally.promql.ast.PositionRange;

/** State shared by every evaluator of one query: storage view, limits, deadline, annotations. */
final class QueryContext {
    final Querier querier;
    /** Storage reads of this query, shared between selectors written more than once. */
    final RepeatedSelects selects;
    final RepeatedCalls calls;
    final EngineOptions opts;
    /** The top-level query's start and end, what {@code @ start()} and {@code @ end()} mean. */
    final long queryStart;
    final long queryEnd;
    private final long deadlineNanos;
    private final long startNanos;
    private final BooleanSupplier cancelled;
    /** The query text the expression's positions refer to; null when unknown (annotations then have no position). */
    private final String query;
    private long currentSamples;
    private int checks;
    private final Set<String> warnings = new LinkedHashSet<>();
    private final Set<String> infos = new LinkedHashSet<>();
    /**
     * Nodes whose output series order cannot change the query's answer (inputs of sum, count, ... : the groups
     * they form are sorted afterwards); storage may then return their series unsorted, skipping a sort by labels.
     */
    private final Set<Expr> orderFree = Collections.newSetFromMap(new IdentityHashMap<>());

    QueryContext(Querier querier, EngineOptions opts, String query, long queryStart, long queryEnd,
                 BooleanSupplier cancelled, Expr root) {
        this.querier = querier;
        this.selects = new RepeatedSelects(root);
        this.calls = new RepeatedCalls(root);
        this.query = query;
        this.opts = opts;
        this.queryStart = queryStart;
        this.queryEnd = queryEnd;
        this.cancelled = cancelled;
        this.startNanos = System.nanoTime();
        this.deadlineNanos = opts.timeoutMs() > 0 ? startNanos + opts.timeoutMs() * 1_000_000L : Long.MAX_VALUE;
    }

    /** Cheap enough for inner loops: looks at the clock only every 256 calls. */
    void checkCancelled() {
        if ((++checks & 0xFF) != 0) return;
        checkNow();
    }

    void checkNow() {
        if (cancelled != null && cancelled.getAsBoolean()) {
            throw new PromQLException(ErrorType.CANCELED, "query was canceled in expression evaluation");
        }
        if (deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos > 0) {
            throw new PromQLException(ErrorType.TIMEOUT, "query timed out in expression evaluation");
        }
    }

    /** Accounts for samples now held in memory; fails the query past {@code maxSamples}. */
    void addSamples(long n) {
        currentSamples += n;
        if (currentSamples > opts.maxSamples()) {
            throw PromQLException.execution("query processing would load too many samples into memory in query execution");
        }
    }

    void releaseSamples(long n) {
        currentSamples = Math.max(0, currentSamples - n);
    }

    long currentSamples() { return currentSamples; }

    void markOrderFree(Expr e) { orderFree.add(e); }

    boolean isOrderFree(Expr e) { return orderFree.contains(e); }

    /** @param pos the expression the warning is about; its start is appended as Prometheus does */
    void warn(String w, PositionRange pos) { warnings.add(AnnotationPosition.withPosition(w, query, pos)); }

    void info(String i, PositionRange pos) { infos.add(AnnotationPosition.withPosition(i, query, pos)); }

    /** Warnings and infos so far (to see whether an evaluation added one). */
    int annotationCount() { return warnings.size() + infos.size(); }

    List<String> warnings() { return new ArrayList<>(warnings); }

    List<String> infos() { return new ArrayList<>(infos); }
}
