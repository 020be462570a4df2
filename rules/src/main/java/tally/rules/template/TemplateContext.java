package tally.rules.template;

import java.util.List;

/** What a template can reach outside itself. */
public interface TemplateContext {
    /** Runs an instant PromQL query at the alert's evaluation time (the {@code query} function); throws with a message on failure. */
    List<QuerySample> query(String promql) throws Exception;

    /** The alert's evaluation time in epoch milliseconds; the {@code now} function returns it in seconds. */
    long evalTimeMillis();
}
