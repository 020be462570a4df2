package tally.server.fuzz;

import net.jqwik.api.Example;
import net.jqwik.api.RandomGenerator;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzz target 6: the PromQL engine behind the HTTP API. Queries are well-typed expressions from {@link PromqlGen}
 * (jqwik) and corpus expressions with functions, aggregations, operators, durations and names swapped
 * ({@link PromqlSwaps}), evaluated over {@link FuzzDataset} and the recorded Claude Code exports with
 * {@code /api/v1/query} and {@code /api/v1/query_range} (GET and form POST) at times around the data, and generated
 * selectors with {@code /api/v1/series} and {@code /api/v1/labels} ({@code match[]}). Property: 200
 * with a success body, or 400/422 with Prometheus's error JSON (errorType and error); never 5xx, a 503 timeout
 * included (the engine's timeout is 20 s: on this dataset a query that long is a hang). Long run:
 * {@code bench/fuzz.sh promql-engine 1000000}.
 */
class PromqlEngineFuzzTest {
    private static final long T0_S = SyntheticOtlp.T0_MS / 1000;
    private static final String[] STEPS = {"1", "15", "60", "300", "3600", "0.5", "1m", "5m0s", "0", "-1", "x"};

    @Example
    void everyQueryIsAnsweredWithResultsOrAPrometheusError() throws Exception {
        List<String> corpus = PromqlCorpus.expressions();
        RandomGenerator<String> vectors = PromqlGen.overDataset().vector().generator(1000);
        RandomGenerator<String> any = PromqlGen.overDataset().any().generator(1000);
        RandomGenerator<String> selectors = PromqlGen.overDataset().selectors().generator(1000);
        try (ServerTarget<QueryCase> target = new ServerTarget<QueryCase>("promql-engine", c -> c.queryTimeout = Duration.ofSeconds(20),
                50, 20_000, QueryCase::toBytes, (s, c) -> c.send(s)).withData(FuzzDataset::load)) {
            FuzzRun<QueryCase> run = new FuzzRun<>("promql-engine", 1200, 7, r -> next(r, corpus, vectors, any, selectors), target, QueryCase::toBytes);
            FuzzRun.Report report = run.run();
            target.finish();
            assertEquals(List.of(), report.failures(), report.summary());
        }
    }

    static QueryCase next(SplittableRandom r, List<String> corpus, RandomGenerator<String> vectors, RandomGenerator<String> any,
                          RandomGenerator<String> selectors) {
        int a = r.nextInt(10);
        String api = a < 4 ? QueryCase.QUERY : a < 8 ? QueryCase.RANGE : a < 9 ? QueryCase.SERIES : QueryCase.LABELS;
        boolean range = api.equals(QueryCase.RANGE);
        int k = r.nextInt(10);
        String q = api.equals(QueryCase.SERIES) || api.equals(QueryCase.LABELS) ? selectors.next(new Random(r.nextLong())).value()
                : k < 7 ? (range ? vectors : any).next(new Random(r.nextLong())).value()
                : PromqlSwaps.mutate(corpus.get(r.nextInt(corpus.size())), r);
        if (r.nextInt(50) == 0) q = nested(q, r);
        long at = T0_S - 7200 + r.nextInt(6 * 3600);
        String time = r.nextInt(10) == 0 ? String.format(Locale.ROOT, "%d.%03d", at, r.nextInt(1000)) : Long.toString(at);
        long span = List.of(0L, 60L, 600L, 3600L, 6 * 3600L, 86_400L).get(r.nextInt(6));
        String step = STEPS[r.nextInt(STEPS.length)];
        return new QueryCase(api, q, time, Long.toString(at - span), Long.toString(at), step, r.nextBoolean());
    }

    /** The query inside hundreds or thousands of levels of brackets, functions, unary minus or operators. */
    private static String nested(String q, SplittableRandom r) {
        String[][] shapes = {{"(", ")"}, {"abs(", ")"}, {"-(", ")"}, {"sum(", ")"}, {"", " + 1"}, {"1 ^ ", ""}, {"-", ""},
                {"(", ")[5m:1m] offset 1m"}, {"last_over_time((", ")[1m:])"}};
        String[] shape = shapes[r.nextInt(shapes.length)];
        int depth = 1 + r.nextInt(r.nextBoolean() ? 600 : 3000);
        StringBuilder sb = new StringBuilder();
        sb.append(shape[0].repeat(depth)).append(q).append(shape[1].repeat(depth));
        return sb.toString();
    }
}
