package tally.server.fuzz;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCases;
import net.jqwik.api.RandomGenerator;

/**
 * An arbitrary used in many places of a bigger one, compared by identity. jqwik memoizes generators by the
 * arbitrary's equals/hashCode, which walk the whole tree of combined arbitraries; {@link PromqlGen} reuses each
 * level many times, so that walk is exponential in the depth. Identity stops it at this node.
 */
final class Shared<T> implements Arbitrary<T> {
    private final Arbitrary<T> inner;

    Shared(Arbitrary<T> inner) {
        this.inner = inner;
    }

    @Override
    public RandomGenerator<T> generator(int genSize) {
        return inner.generator(genSize);
    }

    @Override
    public EdgeCases<T> edgeCases(int maxEdgeCases) {
        return inner.edgeCases(maxEdgeCases);
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
