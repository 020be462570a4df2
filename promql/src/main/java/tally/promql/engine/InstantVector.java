package tally.promql.engine;

import java.util.List;
import tally.promql.ast.ValueType;

/** The result of an instant query over a vector expression, in the order the engine produced it. */
public record InstantVector(List<Sample> samples) implements Value {
    public InstantVector {
        samples = List.copyOf(samples);
    }

    @Override public ValueType type() { return ValueType.VECTOR; }
}
