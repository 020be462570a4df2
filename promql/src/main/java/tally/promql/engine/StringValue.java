package tally.promql.engine;

import tally.promql.ast.ValueType;

public record StringValue(long t, String v) implements Value {
    @Override public ValueType type() { return ValueType.STRING; }
}
