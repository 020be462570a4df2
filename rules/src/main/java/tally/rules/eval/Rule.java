package tally.rules.eval;

import java.util.List;
import tally.model.Labels;
import tally.promql.ast.Expr;
import tally.promql.engine.Sample;

/**
 * A recording or alerting rule: its expression, its labels (the group's, overridden by its own) and what the API
 * shows of its last evaluation. Evaluation results go to the group, which appends them.
 */
public abstract sealed class Rule permits RecordingRule, AlertingRule {
    /** What the API calls a rule's health after its last evaluation. */
    public enum Health { UNKNOWN, OK, ERR }

    final String name;
    final Expr expr;
    final String exprText;
    final Labels labels;

    private volatile Health health = Health.UNKNOWN;
    private volatile String lastError;
    private volatile long lastEvaluationMillis;
    private volatile long evaluationNanos;

    Rule(String name, Expr expr, String exprText, Labels labels) {
        this.name = name;
        this.expr = expr;
        this.exprText = exprText;
        this.labels = labels;
    }

    /**
     * Evaluates at group time {@code ts} with the query at {@code ts - queryOffset}: the samples to append (all at
     * {@code ts - queryOffset}). Throws with the reason the evaluation failed (query error, limit, duplicates).
     */
    abstract List<Sample> eval(long ts, long queryOffset, RuleQuery query, int limit);

    /** The rule as written, for telling whether a reloaded group changed (YAML-like, deterministic). */
    abstract String describe();

    public String name() { return name; }

    public String query() { return expr.toString(); }

    public Labels labels() { return labels; }

    public Health health() { return health; }

    public String lastError() { return lastError; }

    public long lastEvaluationMillis() { return lastEvaluationMillis; }

    public long evaluationNanos() { return evaluationNanos; }

    void recordOutcome(String error, long startedMillis, long nanos) {
        this.health = error == null ? Health.OK : Health.ERR;
        this.lastError = error;
        this.lastEvaluationMillis = startedMillis;
        this.evaluationNanos = nanos;
    }

    void failedAppend(String error) {
        this.health = Health.ERR;
        this.lastError = error;
    }
}
