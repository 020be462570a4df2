package tally.promql.engine;

import java.util.List;

/** A value with the warnings and infos (annotations) collected while computing it. */
public record QueryResult(Value value, List<String> warnings, List<String> infos) {
    public QueryResult {
        warnings = List.copyOf(warnings);
        infos = List.copyOf(infos);
    }
}
