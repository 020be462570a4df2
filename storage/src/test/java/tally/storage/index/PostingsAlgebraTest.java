package tally.storage.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Property tests of the postings algebra and codec against java.util sets. */
class PostingsAlgebraTest {
    private static final int ROUNDS = 300;

    private static TreeSet<Integer> randomSet(Random r) {
        TreeSet<Integer> s = new TreeSet<>();
        int n = r.nextInt(60);
        int universe = 1 + r.nextInt(r.nextBoolean() ? 100 : 5000);
        boolean runs = r.nextBoolean();
        int at = r.nextInt(universe);
        for (int i = 0; i < n; i++) {
            if (runs && r.nextInt(4) > 0) s.add(at++);
            else s.add(at = r.nextInt(universe));
        }
        return s;
    }

    private static int[] arr(TreeSet<Integer> s) {
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Each source set as a plain array iterator or an encoded one, chosen at random. */
    private static PostingsIterator iter(TreeSet<Integer> s, Random r) {
        int[] a = arr(s);
        if (r.nextBoolean()) return Postings.of(a);
        ByteSink out = new ByteSink(16);
        out.put((byte) 7); // non-zero start offset
        PostingsCodec.encode(a, a.length, out);
        return PostingsCodec.decode(ByteBuffer.wrap(out.toByteArray()), 1);
    }

    @Test
    void codecRoundTripsBothEncodings() {
        Random r = new Random(1);
        for (int round = 0; round < ROUNDS; round++) {
            int[] a = arr(randomSet(r));
            ByteSink out = new ByteSink(16);
            PostingsCodec.encode(a, a.length, out);
            ByteBuffer buf = ByteBuffer.wrap(out.toByteArray());
            assertArrayEquals(a, Postings.toArray(PostingsCodec.decode(buf, 0)));
            assertEquals(a.length, PostingsCodec.count(buf, 0));
        }
    }

    @Test
    void consecutiveIdsEncodeAsOneRun() {
        int[] a = new int[10_000];
        for (int i = 0; i < a.length; i++) a[i] = 500 + i;
        ByteSink out = new ByteSink(16);
        PostingsCodec.encode(a, a.length, out);
        assertTrue(out.size() < 12, "one run, got " + out.size() + " bytes");
    }

    @Test
    void intersectUnionWithoutMatchSets() {
        Random r = new Random(2);
        for (int round = 0; round < ROUNDS; round++) {
            int k = 1 + r.nextInt(4);
            List<TreeSet<Integer>> sets = new ArrayList<>();
            for (int i = 0; i < k; i++) sets.add(randomSet(r));

            TreeSet<Integer> inter = new TreeSet<>(sets.get(0));
            TreeSet<Integer> union = new TreeSet<>();
            for (TreeSet<Integer> s : sets) {
                inter.retainAll(s);
                union.addAll(s);
            }
            assertArrayEquals(arr(inter), Postings.toArray(Postings.intersect(its(sets, r))));
            assertArrayEquals(arr(union), Postings.toArray(Postings.union(its(sets, r))));

            TreeSet<Integer> drop = randomSet(r);
            TreeSet<Integer> diff = new TreeSet<>(union);
            diff.removeAll(drop);
            assertArrayEquals(arr(diff), Postings.toArray(Postings.without(Postings.union(its(sets, r)), iter(drop, r))));
        }
    }

    @Test
    void seekMatchesCeilingOnEveryOperator() {
        Random r = new Random(3);
        for (int round = 0; round < ROUNDS; round++) {
            TreeSet<Integer> a = randomSet(r), b = randomSet(r);
            TreeSet<Integer> union = new TreeSet<>(a);
            union.addAll(b);
            TreeSet<Integer> inter = new TreeSet<>(a);
            inter.retainAll(b);
            TreeSet<Integer> diff = new TreeSet<>(a);
            diff.removeAll(b);
            checkSeeks(union, () -> Postings.union(List.of(iter(a, r), iter(b, r))), r);
            checkSeeks(inter, () -> Postings.intersect(List.of(iter(a, r), iter(b, r))), r);
            checkSeeks(diff, () -> Postings.without(iter(a, r), iter(b, r)), r);
            checkSeeks(a, () -> iter(a, r), r);
            int lo = r.nextInt(50), hi = lo + r.nextInt(50);
            TreeSet<Integer> range = new TreeSet<>();
            for (int i = lo; i < hi; i++) range.add(i);
            checkSeeks(range, () -> Postings.range(lo, hi), r);
        }
    }

    /** Interleaves seeks (forward targets) and nexts; every answer must equal the set's ceiling/higher. */
    private static void checkSeeks(TreeSet<Integer> expected, java.util.function.Supplier<PostingsIterator> make, Random r) {
        PostingsIterator it = make.get();
        Integer cur = null;
        for (int step = 0; step < 30; step++) {
            if (r.nextBoolean()) {
                int target = Math.max(0, (cur == null ? 0 : cur) + r.nextInt(40) - 5); // ids are never negative
                Integer want = cur != null && cur >= target ? cur : expected.ceiling(target);
                boolean ok = it.seek(target);
                assertEquals(want != null, ok);
                if (!ok) {
                    assertFalse(it.next());
                    return;
                }
                assertEquals(want.intValue(), it.at());
                cur = want;
            } else {
                Integer want = cur == null ? (expected.isEmpty() ? null : expected.first()) : expected.higher(cur);
                boolean ok = it.next();
                assertEquals(want != null, ok);
                if (!ok) return;
                assertEquals(want.intValue(), it.at());
                cur = want;
            }
        }
    }

    private static List<PostingsIterator> its(List<TreeSet<Integer>> sets, Random r) {
        List<PostingsIterator> out = new ArrayList<>();
        for (TreeSet<Integer> s : sets) out.add(iter(s, r));
        return out;
    }

    @Test
    void emptyInputs() {
        assertFalse(Postings.intersect(List.of()).next());
        assertFalse(Postings.union(List.of()).next());
        assertFalse(Postings.intersect(List.of(Postings.of(1, 2), Postings.EMPTY)).next());
        assertArrayEquals(new int[] {1, 2}, Postings.toArray(Postings.without(Postings.of(1, 2), Postings.EMPTY)));
        Function<int[], int[]> id = a -> a;
        assertArrayEquals(new int[0], id.apply(Postings.toArray(Postings.range(3, 3))));
    }
}
