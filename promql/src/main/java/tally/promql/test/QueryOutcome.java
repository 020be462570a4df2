package tally.promql.test;

import java.util.List;

/** A successful query: its value and its annotations (warning and info texts). */
public record QueryOutcome(ActualValue value, List<String> warnings, List<String> infos) {
    public QueryOutcome {
        warnings = List.copyOf(warnings);
        infos = List.copyOf(infos);
    }
}
