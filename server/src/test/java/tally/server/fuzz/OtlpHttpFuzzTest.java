package tally.server.fuzz;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzz target 1: OTLP/HTTP metrics and logs ({@code /v1/metrics}, {@code /v1/logs} and their web-port twins), protobuf
 * and JSON, identity, gzip and deflate, through the real server and storage. Seeds: every recorded Claude Code
 * export plus one request of every other metric type. Every answer must be 200 or a 4xx with a google.rpc.Status
 * message, and the store must stay whole ({@link ServerTarget}). Long run: {@code bench/fuzz.sh otlp-http 1000000}.
 */
class OtlpHttpFuzzTest {
    private static final int MAX_BODY = 256 << 10;

    @Test
    void everyOtlpHttpRequestIsAnsweredWith2xxOr4xx() throws Exception {
        List<byte[]> pbMetrics = new ArrayList<>(Seeds.of(Seeds.Signal.METRICS, false));
        pbMetrics.add(SyntheticOtlp.metrics().toByteArray());
        List<byte[]> jsonMetrics = new ArrayList<>(Seeds.of(Seeds.Signal.METRICS, true));
        jsonMetrics.add(SyntheticOtlp.json(SyntheticOtlp.metrics()));
        List<byte[]> pbLogs = new ArrayList<>(Seeds.of(Seeds.Signal.LOGS, false));
        pbLogs.add(SyntheticOtlp.logs().toByteArray());
        List<byte[]> jsonLogs = new ArrayList<>(Seeds.of(Seeds.Signal.LOGS, true));
        jsonLogs.add(SyntheticOtlp.json(SyntheticOtlp.logs()));
        Body[] mutators = {new Mutator(pbMetrics, Seeds.otlpTokens(), MAX_BODY, true)::next, json(jsonMetrics),
                new Mutator(pbLogs, Seeds.otlpTokens(), MAX_BODY, true)::next, json(jsonLogs)};

        try (ServerTarget<HttpCase> target = new ServerTarget<>("otlp-http", c -> c.maxRequestBytes = 1 << 20, 25, 20_000,
                HttpCase::toBytes, (s, c) -> c.send(s))) {
            FuzzRun<HttpCase> run = new FuzzRun<>("otlp-http", 2500, 1, r -> next(r, mutators), target, HttpCase::toBytes);
            FuzzRun.Report report = run.run();
            target.finish();
            assertEquals(List.of(), report.failures(), report.summary());
        }
    }

    /** Makes a body from the case's random source. */
    @FunctionalInterface
    interface Body {
        byte[] next(SplittableRandom r);
    }

    private static Body json(List<byte[]> seeds) {
        return new JsonMutator(seeds, new Mutator(seeds, Seeds.jsonTokens(), MAX_BODY, false))::next;
    }

    private static HttpCase next(SplittableRandom r, Body[] mutators) {
        boolean logs = r.nextBoolean();
        boolean json = r.nextInt(10) < 3;
        byte[] body = mutators[(logs ? 2 : 0) + (json ? 1 : 0)].next(r);
        int e = r.nextInt(10);
        String encoding = e < 7 ? null : e < 9 ? "gzip" : "deflate";
        String type = json ? (r.nextInt(8) == 0 ? "application/json; charset=utf-8" : "application/json")
                : (r.nextInt(8) == 0 ? "application/protobuf" : "application/x-protobuf");
        boolean web = r.nextInt(10) == 0;
        String path = (web ? "/api/v1/otlp" : "") + (logs ? "/v1/logs" : "/v1/metrics");
        return new HttpCase(web ? "web" : "otlp", path, type, encoding, Compress.encode(encoding, body));
    }
}
