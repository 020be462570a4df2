package tally.rules.file;

import java.util.Map;
import tally.promql.ast.Expr;

/**
 * One rule of a rule file, as written: a recording rule ({@code record} set) or an alerting rule ({@code alert}
 * set), its parsed expression and its labels (and, for alerts, {@code for}, {@code keep_firing_for} and
 * annotations). Label and annotation maps are sorted by name.
 */
public record RuleSpec(String record, String alert, String exprText, Expr expr, long forMillis, long keepFiringForMillis,
                       Map<String, String> labels, Map<String, String> annotations) {
    public boolean isAlert() {
        return alert != null;
    }

    /** The record or alert name. */
    public String name() {
        return alert != null ? alert : record;
    }
}
