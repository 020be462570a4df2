package tally.promql.test;

import java.util.List;
import tally.model.Labels;

/**
 * A query result as the runner compares it, independent of the engine's own value classes
 * (an adapter converts them), so the comparison logic is testable on its own.
 */
public sealed interface ActualValue permits ActualValue.Scalar, ActualValue.Str, ActualValue.Vector, ActualValue.Matrix {
    record Scalar(double v) implements ActualValue {}

    record Str(String v) implements ActualValue {}

    record Sample(Labels labels, double v) {}

    record Vector(List<Sample> samples) implements ActualValue {}

    /** One series of a matrix: {@code count} points in {@code ts}/{@code vs}. */
    record Points(Labels labels, long[] ts, double[] vs, int count) {
        public String describe() {
            StringBuilder sb = new StringBuilder();
            sb.append(count).append(count == 1 ? " float point [" : " float points [");
            for (int i = 0; i < count; i++) {
                if (i > 0) sb.append(' ');
                sb.append(GoNumbers.format(vs[i])).append(" @[").append(ts[i]).append(']');
            }
            return sb.append(']').toString();
        }
    }

    record Matrix(List<Points> series) implements ActualValue {}
}
