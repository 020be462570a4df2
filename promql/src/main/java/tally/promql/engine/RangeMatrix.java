package tally.promql.engine;

import java.util.List;
import tally.promql.ast.ValueType;

/** A matrix result: a range query's output, or an instant query over a range expression. Sorted by labels. */
public record RangeMatrix(List<SeriesPoints> series) implements Value {
    public RangeMatrix {
        series = List.copyOf(series);
    }

    @Override public ValueType type() { return ValueType.MATRIX; }
}
