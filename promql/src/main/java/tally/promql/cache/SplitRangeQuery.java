package tally.promql.cache;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import tally.model.Labels;
import tally.model.Queryable;
import tally.promql.ast.AtModifier;
import tally.promql.ast.Expr;
import tally.promql.ast.SubqueryExpr;
import tally.promql.ast.VectorSelector;
import tally.promql.engine.Engine;
import tally.promql.engine.QueryResult;
import tally.promql.engine.RangeMatrix;
import tally.promql.engine.RangeSteps;
import tally.promql.engine.SeriesPoints;

/**
 * A range query answered from cached pieces where it can be: the way the query frontends of Thanos and Mimir split
 * by time and cache. Steps are numbered on the query's grid from the epoch ({@code t = phase + k * step}) and cut
 * into pieces of {@link #STEPS_PER_PIECE} steps, so the same piece comes back when the range slides (a dashboard
 * refreshed a minute later) and when another query on the same grid covers it.
 *
 * <p>Each step of a range query is evaluated on its own in PromQL, so a piece's values do not depend on the rest of
 * the range; the one exception, {@code @ start()} and {@code @ end()}, is never split. The pieces not in the cache
 * are evaluated as few range queries as possible (one per run of consecutive missing pieces), so a first load
 * reads storage as often as an unsplit query does; whole pieces that read only settled samples are then stored
 * (see {@link RangeResultCache} for when they are dropped again).
 */
public final class SplitRangeQuery {
    /** Steps per piece: small enough that a refresh recomputes little, large enough to keep entries few. */
    static final int STEPS_PER_PIECE = 32;

    private SplitRangeQuery() {}

    public static QueryResult run(RangeResultCache cache, Engine engine, Queryable storage, Expr expr, String query,
                                  RangeSteps steps, BooleanSupplier cancelled) {
        long step = steps.stepMs();
        long phase = Math.floorMod(steps.startMs(), step);
        long kFirst = Math.floorDiv(steps.startMs() - phase, step);
        long kLast = Math.floorDiv(steps.endMs() - phase, step);
        long pFirst = Math.floorDiv(kFirst, STEPS_PER_PIECE), pLast = Math.floorDiv(kLast, STEPS_PER_PIECE);
        if (cache == null || pFirst == pLast || !splittable(expr)) {
            return engine.range(storage, expr, query, steps, cancelled);
        }
        long generation = cache.generation();
        long cacheableBefore = cache.cacheableBefore();
        int n = (int) (pLast - pFirst + 1);
        Piece[] pieces = new Piece[n];
        for (int i = 0; i < n; i++) {
            long p = pFirst + i;
            long k0 = Math.max(kFirst, p * STEPS_PER_PIECE), k1 = Math.min(kLast, (p + 1) * STEPS_PER_PIECE - 1);
            Piece piece = new Piece(phase + k0 * step, phase + k1 * step);
            boolean whole = k1 - k0 + 1 == STEPS_PER_PIECE;
            if (whole) {
                long[] read = engine.readRange(expr, piece.firstT, piece.lastT, step);
                if (read[1] < cacheableBefore) {
                    piece.key = new RangeResultCache.Key(query, step, phase, engine.options().lookbackDeltaMs(), p);
                    piece.readMinT = read[0];
                    piece.readMaxT = read[1];
                    piece.result = cache.get(piece.key);
                }
            }
            pieces[i] = piece;
        }
        // evaluate each run of missing pieces as one range query, then keep its cacheable pieces
        for (int i = 0; i < n; ) {
            if (pieces[i].result != null) {
                i++;
                continue;
            }
            int j = i;
            while (j + 1 < n && pieces[j + 1].result == null) j++;
            RangeSteps span = RangeSteps.of(pieces[i].firstT, pieces[j].lastT, () -> step, Integer.MAX_VALUE);
            QueryResult r = engine.range(storage, expr, query, span, cancelled);
            List<SeriesPoints> all = ((RangeMatrix) r.value()).series();
            for (int x = i; x <= j; x++) {
                Piece piece = pieces[x];
                List<SeriesPoints> part = i == j ? all : slice(all, piece.firstT, piece.lastT);
                piece.result = new RangeResultCache.Entry(part, r.warnings(), r.infos(), piece.readMinT, piece.readMaxT,
                        piece.key == null ? 0 : estimateBytes(part));
                if (piece.key != null) cache.put(piece.key, piece.result, generation);
            }
            i = j + 1;
        }
        return merge(pieces);
    }

    /** False when a step's value depends on the query's range: {@code @ start()} or {@code @ end()} anywhere. */
    static boolean splittable(Expr expr) {
        for (Expr e : expr.descendants()) {
            AtModifier at = e instanceof VectorSelector v ? v.at() : e instanceof SubqueryExpr s ? s.at() : null;
            if (at != null && at.kind() != AtModifier.Kind.TIMESTAMP) return false;
        }
        return true;
    }

    /** One piece of the query's steps [firstT, lastT]; key is null when it is not to be cached. */
    private static final class Piece {
        final long firstT;
        final long lastT;
        RangeResultCache.Key key;
        long readMinT;
        long readMaxT;
        RangeResultCache.Entry result;

        Piece(long firstT, long lastT) {
            this.firstT = firstT;
            this.lastT = lastT;
        }
    }

    /** The points of each series at steps in [firstT, lastT]; series with none there are left out. */
    private static List<SeriesPoints> slice(List<SeriesPoints> all, long firstT, long lastT) {
        List<SeriesPoints> out = new ArrayList<>();
        for (SeriesPoints s : all) {
            int from = lowerBound(s.ts(), s.count(), firstT), to = lowerBound(s.ts(), s.count(), lastT + 1);
            if (from == to) continue;
            long[] ts = java.util.Arrays.copyOfRange(s.ts(), from, to);
            double[] vs = java.util.Arrays.copyOfRange(s.vs(), from, to);
            out.add(new SeriesPoints(s.labels(), ts, vs, to - from));
        }
        return out;
    }

    private static int lowerBound(long[] ts, int count, long t) {
        int lo = 0, hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ts[mid] < t) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /** The pieces' series joined by labels (points stay in time order: pieces are), sorted by labels as unsplit. */
    private static QueryResult merge(Piece[] pieces) {
        Map<Labels, Joined> byLabels = new HashMap<>();
        LinkedHashSet<String> warnings = new LinkedHashSet<>(), infos = new LinkedHashSet<>();
        for (Piece piece : pieces) {
            for (SeriesPoints s : piece.result.series()) {
                byLabels.computeIfAbsent(s.labels(), l -> new Joined()).add(s);
            }
            warnings.addAll(piece.result.warnings());
            infos.addAll(piece.result.infos());
        }
        List<Labels> order = new ArrayList<>(byLabels.keySet());
        order.sort(null);
        List<SeriesPoints> out = new ArrayList<>(order.size());
        for (Labels l : order) out.add(byLabels.get(l).points(l));
        return new QueryResult(new RangeMatrix(out), new ArrayList<>(warnings), new ArrayList<>(infos));
    }

    /** One series' points gathered piece by piece. */
    private static final class Joined {
        private final List<SeriesPoints> parts = new ArrayList<>(2);
        private int count;

        void add(SeriesPoints s) {
            parts.add(s);
            count += s.count();
        }

        SeriesPoints points(Labels l) {
            if (parts.size() == 1) return parts.get(0);
            long[] ts = new long[count];
            double[] vs = new double[count];
            int at = 0;
            for (SeriesPoints s : parts) {
                System.arraycopy(s.ts(), 0, ts, at, s.count());
                System.arraycopy(s.vs(), 0, vs, at, s.count());
                at += s.count();
            }
            return new SeriesPoints(l, ts, vs, count);
        }
    }

    /** Heap bytes of a piece's series, roughly: arrays, record headers, and the label strings. */
    private static long estimateBytes(List<SeriesPoints> series) {
        long b = 64;
        for (SeriesPoints s : series) {
            b += 96 + 16L * s.count();
            for (int i = 0; i < s.labels().size(); i++) {
                b += 80 + 2L * (s.labels().name(i).length() + s.labels().value(i).length());
            }
        }
        return b;
    }
}
