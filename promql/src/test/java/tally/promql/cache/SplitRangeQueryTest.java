package tally.promql.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.model.Appender;
import tally.model.Labels;
import tally.promql.ast.Expr;
import tally.promql.engine.Engine;
import tally.promql.engine.EngineOptions;
import tally.promql.engine.QueryResult;
import tally.promql.engine.RangeMatrix;
import tally.promql.engine.RangeSteps;
import tally.promql.engine.SeriesPoints;
import tally.promql.parser.PromQLParser;
import tally.storage.StorageOptions;
import tally.storage.TallyStorage;

/**
 * A range query answered through the cache equals the same query evaluated whole, on Tally's real storage: the
 * first time (pieces computed), the second (pieces from the cache), and after late samples land in cached pieces.
 */
class SplitRangeQueryTest {
    private static final long MIN = 60_000L;
    private static final long HOUR = 60 * MIN;
    private static final long T0 = 1_700_006_400_000L; // a midnight (UTC)
    private static final long DAYS = 3;

    /** Shapes the dashboards use, and the ones splitting could get wrong (subqueries, offsets, @, no selector). */
    private static final List<String> QUERIES = List.of(
            "sum by (model) (increase(cost_total[1h]))",
            "sum(rate(tokens_total[5m])) by (type)",
            "rate(tokens_total[10m])",
            "topk(2, sum by (model) (rate(cost_total[30m])))",
            "count(count by (session) (last_over_time(cost_total[1h])))",
            "sum((last_over_time(cost_total[2h]) - last_over_time(cost_total[6h] offset 2h)) or last_over_time(cost_total[2h]))",
            "max_over_time(rate(tokens_total[5m])[30m:1m])",
            "sum(cost_total offset 90m)",
            "cost_total @ " + (T0 + 30 * HOUR) / 1000,
            "absent(nothing_here)",
            "time() - 1",
            "vector(1) + on() group_left sum(tokens_total)",
            "histogram_quantile(0.9, sum by (le) (rate(latency_bucket[15m])))",
            "label_replace(sum by (type) (tokens_total), \"kind\", \"$1\", \"type\", \"(.*)\")",
            "sum(tokens_total @ end())",
            "rate(cost_total[5m])");

    @TempDir
    Path dir;
    private TallyStorage storage;
    private final AtomicLong clock = new AtomicLong(T0 + DAYS * 24 * HOUR + HOUR);
    private RangeResultCache cache;
    private final Engine engine = new Engine(EngineOptions.defaults());

    @BeforeEach
    void open() throws Exception {
        storage = TallyStorage.open(StorageOptions.defaults(dir));
        cache = new RangeResultCache(64 << 20, 5 * MIN, clock::get);
        storage.observeWrites(cache);
        write();
    }

    @AfterEach
    void close() {
        storage.close();
    }

    /** Three days of counters (per model, type, session: sessions come and go), and a histogram, every minute. */
    private void write() {
        Random rnd = new Random(7);
        String[] models = {"opus", "sonnet", "haiku"};
        String[] types = {"input", "output", "cacheRead"};
        double[] cost = new double[12];
        double[] tokens = new double[9];
        double[] buckets = new double[4];
        String[] le = {"0.1", "1", "10", "+Inf"};
        for (long t = T0; t < T0 + DAYS * 24 * HOUR; t += MIN) {
            Appender a = storage.appender();
            int session = (int) ((t - T0) / (5 * HOUR)); // a new session every 5 hours
            for (int m = 0; m < models.length; m++) {
                int i = (session % 4) * 3 + m;
                if (rnd.nextInt(3) == 0) cost[i] += rnd.nextInt(100) / 100.0;
                a.append(0, Labels.of("__name__", "cost_total", "model", models[m], "session", "s" + session), t, cost[i]);
                for (int k = 0; k < types.length; k++) {
                    int j = m * 3 + k;
                    tokens[j] += rnd.nextInt(1000);
                    if (rnd.nextInt(500) == 0) tokens[j] = 0; // a reset
                    a.append(0, Labels.of("__name__", "tokens_total", "model", models[m], "type", types[k]), t, tokens[j]);
                }
            }
            double v = rnd.nextDouble() * 20;
            for (int b = 0; b < le.length; b++) {
                if (b == le.length - 1 || v <= Double.parseDouble(le[b])) buckets[b]++;
                a.append(0, Labels.of("__name__", "latency_bucket", "le", le[b]), t, buckets[b]);
            }
            a.commit();
        }
    }

    @Test
    void equalsTheWholeQueryFirstFromCacheAndAfterLateSamples() {
        List<long[]> ranges = List.of(
                new long[] {T0 + 2 * HOUR, T0 + DAYS * 24 * HOUR - 3 * MIN, HOUR},
                new long[] {T0 + 7 * MIN, T0 + 50 * HOUR + 13 * MIN, 5 * MIN},
                new long[] {T0 - HOUR, T0 + DAYS * 24 * HOUR + 2 * HOUR, 15 * MIN}, // past both ends of the data
                new long[] {T0 + 20 * HOUR, T0 + 30 * HOUR, 37_000}); // a step that does not divide a minute
        for (int round = 0; round < 2; round++) {
            for (String q : QUERIES) for (long[] r : ranges) check(q, r);
        }
        RangeResultCache.Stats warm = cache.stats();
        assertTrue(warm.hits() > 100, "the second round is served from the cache: " + warm);
        assertTrue(warm.entries() > 50, warm.toString());

        // a late series in the middle of day 2: pieces that read it are dropped, the rest stay
        Appender a = storage.appender();
        for (long t = T0 + 36 * HOUR; t < T0 + 38 * HOUR; t += MIN) {
            a.append(0, Labels.of("__name__", "tokens_total", "model", "opus", "type", "late"), t, (t - T0) / 1000.0);
            a.append(0, Labels.of("__name__", "cost_total", "model", "late", "session", "late"), t, (t - T0) / 1e6);
        }
        a.commit();
        QueryResult late = engine.instant(storage, PromQLParser.parseExpr("tokens_total{type=\"late\"}"), T0 + 37 * HOUR);
        assertEquals(1, ((tally.promql.engine.InstantVector) late.value()).samples().size(), "the late samples were stored");
        RangeResultCache.Stats after = cache.stats();
        assertTrue(after.invalidated() > 0, after.toString());
        assertTrue(after.entries() > 0, "pieces that ended before the late samples stay: " + after);
        for (String q : QUERIES) for (long[] r : ranges) check(q, r);
        assertTrue(cache.stats().hits() > after.hits(), "the pieces kept are served again");
    }

    @Test
    void writesOfCurrentDataLeaveTheCacheAlone() {
        long[] r = {T0, T0 + DAYS * 24 * HOUR, HOUR};
        check("sum(rate(tokens_total[5m]))", r);
        long entries = cache.stats().entries();
        assertTrue(entries > 0);
        Appender a = storage.appender();
        a.append(0, Labels.of("__name__", "tokens_total", "model", "opus", "type", "now"), clock.get() - MIN, 1);
        a.commit();
        assertEquals(entries, cache.stats().entries());
        assertEquals(0, cache.stats().invalidated());
    }

    @Test
    void atStartAndEndAreNeverSplit() {
        assertFalse(SplitRangeQuery.splittable(PromQLParser.parseExpr("sum(rate(x[5m] @ start()))")));
        assertFalse(SplitRangeQuery.splittable(PromQLParser.parseExpr("max_over_time(x[1h:5m] @ end())")));
        assertTrue(SplitRangeQuery.splittable(PromQLParser.parseExpr("sum(rate(x[5m] @ 100))")));
    }

    @Test
    void aPieceComputedWhileSamplesChangedIsNotStored() {
        RangeResultCache c = new RangeResultCache(1 << 20, 0, clock::get);
        RangeResultCache.Key k = new RangeResultCache.Key("q", 1000, 0, 300_000, 1);
        RangeResultCache.Entry e = new RangeResultCache.Entry(List.of(), List.of(), List.of(), 0, 10_000, 100);
        long gen = c.generation();
        c.written(5_000); // a late sample lands while the piece is evaluated
        c.put(k, e, gen);
        assertEquals(0, c.stats().entries());
        c.put(k, e, c.generation());
        assertEquals(1, c.stats().entries());
        c.removedBefore(1); // retention deleted samples the piece read
        assertEquals(0, c.stats().entries());
    }

    @Test
    void leastRecentlyUsedPiecesGoPastTheSize() {
        RangeResultCache c = new RangeResultCache(250, 0, clock::get);
        for (int p = 0; p < 3; p++) {
            c.put(new RangeResultCache.Key("q", 1000, 0, 300_000, p),
                    new RangeResultCache.Entry(List.of(), List.of(), List.of(), 0, 1, 100), c.generation());
        }
        assertEquals(2, c.stats().entries());
        assertEquals(1, c.stats().evicted());
        assertEquals(null, c.get(new RangeResultCache.Key("q", 1000, 0, 300_000, 0)));
    }

    /** The split answer equals the whole one: the same series, timestamps and bit-identical values, same notes. */
    private void check(String query, long[] r) {
        Expr expr = PromQLParser.parseExpr(query);
        RangeSteps steps = RangeSteps.of(r[0], r[1], () -> r[2], 11_000);
        QueryResult whole = engine.range(storage, expr, query, steps, null);
        QueryResult split = SplitRangeQuery.run(cache, engine, storage, expr, query, steps, null);
        List<SeriesPoints> a = ((RangeMatrix) whole.value()).series(), b = ((RangeMatrix) split.value()).series();
        String what = query + " over " + r[0] + ".." + r[1] + " step " + r[2];
        assertEquals(labels(a), labels(b), what);
        for (int i = 0; i < a.size(); i++) {
            SeriesPoints x = a.get(i), y = b.get(i);
            assertArrayEquals(java.util.Arrays.copyOf(x.ts(), x.count()), java.util.Arrays.copyOf(y.ts(), y.count()), what);
            for (int j = 0; j < x.count(); j++) {
                assertEquals(Double.doubleToRawLongBits(x.vs()[j]), Double.doubleToRawLongBits(y.vs()[j]),
                        what + " " + x.labels() + " at " + x.ts()[j]);
            }
        }
        assertEquals(new HashSet<>(whole.warnings()), new HashSet<>(split.warnings()), what);
        assertEquals(new HashSet<>(whole.infos()), new HashSet<>(split.infos()), what);
    }

    private static List<Labels> labels(List<SeriesPoints> l) {
        List<Labels> out = new ArrayList<>();
        for (SeriesPoints s : l) out.add(s.labels());
        return out;
    }
}
