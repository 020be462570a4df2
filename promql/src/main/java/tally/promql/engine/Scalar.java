package tally.promql.engine;

import tally.promql.ast.ValueType;

public record Scalar(long t, double v) implements Value {
    @Override public ValueType type() { return ValueType.SCALAR; }
}
