package tally.promql.engine;

import tally.promql.ast.ValueType;

/** A query result: scalar, string, instant vector or range matrix. */
public sealed interface Value permits Scalar, StringValue, InstantVector, RangeMatrix {
    ValueType type();
}
