package tally.promql.ast;

import java.util.List;

/**
 * How two vectors are matched: {@code on(labels)} when {@code on}, else {@code ignoring(labels)};
 * {@code include} are the extra labels of {@code group_left/group_right(include)}.
 */
public record VectorMatching(Cardinality card, List<String> matchingLabels, boolean on, List<String> include) {
    public enum Cardinality { ONE_TO_ONE, MANY_TO_ONE, ONE_TO_MANY, MANY_TO_MANY }

    public VectorMatching {
        matchingLabels = List.copyOf(matchingLabels);
        include = List.copyOf(include);
    }

    /** Default matching of two vectors: one-to-one on all labels (set operators: many-to-many). */
    public static VectorMatching defaults(BinaryOp op) {
        return new VectorMatching(op.isSetOperator() ? Cardinality.MANY_TO_MANY : Cardinality.ONE_TO_ONE,
                List.of(), false, List.of());
    }
}
