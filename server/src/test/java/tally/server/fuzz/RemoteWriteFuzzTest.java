package tally.server.fuzz;

import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;
import tally.server.remotewrite.RequestV2Builder;
import tally.server.remotewrite.WriteRequestBuilder;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzz target 3: Prometheus remote-write ({@code POST /api/v1/write}) through the real server and storage. Seeds:
 * WriteRequests (1.0) and Requests (2.0) of Claude Code-like series, many samples, special values (NaN, the stale
 * marker, infinities), metadata, exemplars, native histograms, unsorted and empty labels, refs outside the symbols.
 * Cases: a valid snappy block around a mutated message (sent with its version's Content-Type), a mutated snappy
 * block, and header variants. Every answer must be 2xx or a 4xx with a message; the store
 * must stay whole. Long run: {@code bench/fuzz.sh remote-write 1000000}.
 */
class RemoteWriteFuzzTest {
    private static final int MAX_BODY = 256 << 10;

    @Test
    void everyRemoteWriteIsAnsweredWith2xxOr4xx() throws Exception {
        List<byte[]> raw = seeds();
        List<byte[]> rawV2 = seedsV2();
        List<byte[]> compressed = new ArrayList<>();
        for (byte[] r : raw) compressed.add(Snappy.compress(r));
        for (byte[] r : rawV2) compressed.add(Snappy.compress(r));
        Mutator messages = new Mutator(raw, Seeds.tokens("__name__", "job", "instance", "le", "", "a", "\u00ff\u00fe", "x".repeat(2000)),
                MAX_BODY, true);
        Mutator messagesV2 = new Mutator(rawV2, Seeds.tokens("__name__", "job", "", "a", "\u00ff\u00fe", "x".repeat(2000)), MAX_BODY, true);
        Mutator blocks = new Mutator(compressed, List.of(), MAX_BODY, false);
        try (ServerTarget<HttpCase> target = new ServerTarget<>("remote-write", c -> c.maxRequestBytes = 1 << 20, 25, 20_000,
                HttpCase::toBytes, (s, c) -> c.send(s))) {
            FuzzRun<HttpCase> run = new FuzzRun<>("remote-write", 2500, 3, r -> next(r, messages, messagesV2, blocks), target, HttpCase::toBytes);
            FuzzRun.Report report = run.run();
            target.finish();
            assertEquals(List.of(), report.failures(), report.summary());
        }
    }

    static HttpCase next(SplittableRandom r, Mutator messages, Mutator messagesV2, Mutator blocks) throws IOException {
        int k = r.nextInt(100);
        byte[] body = k < 40 ? Snappy.compress(messages.next(r)) : k < 65 ? Snappy.compress(messagesV2.next(r)) : blocks.next(r);
        String type = k >= 40 && k < 65 ? "application/x-protobuf;proto=io.prometheus.write.v2.Request" : "application/x-protobuf";
        String encoding = "snappy";
        if (k >= 92) {
            type = pick(r, "application/x-protobuf;proto=prometheus.WriteRequest", "application/x-protobuf;proto=io.prometheus.write.v2.Request",
                    "application/json", null, "");
            encoding = pick(r, null, "", "gzip", "identity", "SNAPPY", "zstd");
        }
        return new HttpCase("web", "/api/v1/write", type, encoding, body);
    }

    /** WriteRequests worth mutating (timestamps next to the recorded captures'). */
    static List<byte[]> seeds() throws IOException {
        long t = SyntheticOtlp.T0_MS;
        List<byte[]> out = new ArrayList<>();
        out.add(new WriteRequestBuilder()
                .series("__name__", "claude_code_cost_usage_USD_total", "job", "claude-code", "model", "claude-sonnet", "session_id", "s1")
                .sample(t, 0.25).sample(t + 60_000, 0.5).done()
                .series("__name__", "claude_code_token_usage_tokens_total", "job", "claude-code", "type", "input", "session_id", "s1")
                .sample(t, 120).sample(t + 60_000, 480).done()
                .metadata(1, "claude_code_cost_usage_USD_total", "Cost of the Claude Code session", "USD").bytes());
        WriteRequestBuilder many = new WriteRequestBuilder();
        for (int i = 0; i < 20; i++) {
            WriteRequestBuilder.Series s = many.series("__name__", "node_cpu_seconds_total", "cpu", Integer.toString(i), "mode", "idle");
            for (int j = 0; j < 10; j++) s.sample(t + j * 15_000L, i * 100 + j);
            s.done();
        }
        out.add(many.bytes());
        out.add(new WriteRequestBuilder()
                .series("__name__", "special", "v", "nan").sample(t, Double.NaN).done()
                .series("__name__", "special", "v", "stale").sample(t, Double.longBitsToDouble(0x7ff0000000000002L)).done()
                .series("__name__", "special", "v", "inf").sample(t, Double.POSITIVE_INFINITY).sample(t + 1, Double.NEGATIVE_INFINITY).done()
                .series("__name__", "special", "v", "neg").sample(t, -0.0).sample(t + 1, Double.MIN_VALUE).done().bytes());
        out.add(new WriteRequestBuilder()
                .series("job", "unsorted", "__name__", "unsorted_labels", "a", "").sample(t, 1).done()
                .series("__name__", "with_exemplar").sample(t, 1).exemplar().done()
                .series("__name__", "with_histogram").histogram().done()
                .series("__name__", "dup", "a", "1", "a", "2").sample(t, 1).done()
                .series("a", "no name").sample(t, 1).done()
                .metadata(2, "gauge_family", "", "").metadata(7, "", "help", "unit").bytes());
        return out;
    }

    /** 2.0 Requests worth mutating. */
    static List<byte[]> seedsV2() throws IOException {
        long t = SyntheticOtlp.T0_MS;
        List<byte[]> out = new ArrayList<>();
        out.add(new RequestV2Builder()
                .series("__name__", "claude_code_cost_usage_USD_total", "job", "claude-code", "model", "claude-sonnet", "session_id", "s1")
                .sample(t, 0.25).sample(t + 60_000, 0.5).metadata(1, "Cost of the Claude Code session", "USD").done()
                .series("__name__", "special", "v", "stale").sample(t, Double.longBitsToDouble(0x7ff0000000000002L)).sample(t + 1, Double.NaN).done()
                .bytes());
        RequestV2Builder many = new RequestV2Builder().symbolsLast();
        for (int i = 0; i < 20; i++) {
            RequestV2Builder.Series s = many.series("__name__", "node_cpu_seconds_total", "cpu", Integer.toString(i), "mode", "idle");
            for (int j = 0; j < 10; j++) s.sample(t + j * 15_000L, i * 100 + j);
            s.metadata(1, "Seconds the CPUs spent in each mode.", "seconds").done();
        }
        out.add(many.bytes());
        RequestV2Builder bad = new RequestV2Builder();
        bad.series("job", "unsorted", "__name__", "unsorted_labels").sample(t, 1).done()
                .series("__name__", "with_exemplar").sample(t, 1).exemplar("abc", 1, t).done()
                .series("__name__", "with_histogram").histogram(t).done()
                .series("__name__", "empty").done();
        bad.seriesRefs(false, bad.ref("__name__"), 99).sample(t, 1).done();
        bad.seriesRefs(true, bad.ref("__name__"), bad.ref("odd"), 0).sample(t, 1).done();
        bad.seriesRefs(true, bad.ref("__name__"), bad.ref("meta")).metadataRefs(2, 1000, 0).sample(t, 1).done();
        out.add(bad.bytes());
        return out;
    }

    @SafeVarargs
    private static <T> T pick(SplittableRandom r, T... options) {
        return options[r.nextInt(options.length)];
    }
}
