package tally.server.fuzz;

import org.junit.jupiter.api.Test;

import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every input the fuzzers found a bug with (test resources {@code fuzz-regressions/}), replayed exactly as it was
 * sent, with the property of its target: 2xx or a 4xx with a message, and the store whole afterwards.
 */
class FuzzRegressionsTest {
    /** A far-future timestamp (2063) made every later sample "too old" and retention delete the real data. */
    @Test
    void otlpHttpFarFutureTimestamp() throws Exception {
        replayHttp("otlp-http-far-future-timestamp.bin");
    }

    /**
     * A JSON number with a seven-digit exponent took protobuf's JsonFormat 5 s to refuse (one with eight digits, 110 s):
     * now refused before it, with a message saying why.
     */
    @Test
    void otlpHttpJsonHugeExponent() throws Exception {
        assertTrue(replayHttp("otlp-http-json-huge-exponent.bin").startsWith("400 cannot decode OTLP/JSON body: number "));
    }

    /**
     * A 4.4 MB OTLP/JSON body, over the 1 MiB the fuzz servers take on the wire: Netty's aggregator answered 413 with an
     * empty body, where OTLP/HTTP wants a google.rpc.Status. (Stored gzipped; replayed as it was sent.)
     */
    @Test
    void otlpHttpBodyOverTheWireLimit() throws Exception {
        String outcome = replayHttp("otlp-http-body-over-the-wire-limit.bin.gz");
        assertTrue(outcome.startsWith("413 request body exceeds the limit of N bytes"), outcome);
    }

    /** A label value's length of 2^63-1 overflowed the decoder's bounds check: 500 (StringIndexOutOfBoundsException). */
    @Test
    void remoteWriteLengthNearLongMax() throws Exception {
        replayHttp("remote-write-length-near-long-max.bin");
    }

    /** 1,600 unary minus signs parsed, then overflowed the stack of a walk outside the engine's catch: HTTP 500. */
    @Test
    void promqlEngineDeeplyNestedQuery() throws Exception {
        QueryCase c = QueryCase.parse(resource("promql-engine-1600-unary-minus.bin"));
        try (FuzzServer s = new FuzzServer(x -> {})) {
            s.loadBaseline(FuzzDataset::load);
            // whether the old code overflowed in the parser (400) or in a later walk (500) depended on the JIT; now it is
            // refused up front, every time
            String outcome = c.send(s.server());
            assertTrue(outcome.startsWith("400 bad_data: parse error: expression nested too deeply (more than N"), outcome);
            s.canary();
            s.verify("after a deeply nested query");
        }
    }

    /**
     * /api/v1/series with {@code note=~".*a.*a.*a.*a.*x"} against a 5,000-character label value: java.util.regex
     * backtracked for hours, past any timeout (Prometheus's RE2 is linear). Now refused after a bounded amount of work.
     */
    @Test
    void promqlEngineRegexBacktracking() throws Exception {
        QueryCase c = QueryCase.parse(resource("promql-engine-regex-backtracking.bin"));
        try (FuzzServer s = new FuzzServer(x -> {})) {
            s.loadBaseline(FuzzDataset::load);
            String outcome = c.send(s.server());
            assertTrue(outcome.startsWith("422 execution: regular expression"), outcome);
            s.canary();
            s.verify("after a backtracking regex");
        }
    }

    /** A rule file ending in a "\x" escape: SnakeYAML threw NumberFormatException, which escaped the loader. */
    @Test
    void rulesHexEscapeCutShort() throws Exception {
        String yaml = new String(resource("rules-yaml-hex-escape-cut-short.yml"), java.nio.charset.StandardCharsets.UTF_8);
        String outcome = RuleFileFuzzTest.check(tally.rules.eval.RuleFiles.parser(), yaml);
        assertTrue(outcome.startsWith("load error"), outcome);
    }

    /** A 415 for a non-gRPC content type lost its text body: the RST_STREAM written after it overtook it. */
    @Test
    void grpcErrorBodyIsNotOvertakenByTheReset() throws Exception {
        replayGrpc("grpc-415-body-overtaken-by-reset.bin");
    }

    private static void replayGrpc(String file) throws Exception {
        GrpcCase c = GrpcCase.parse(resource(file));
        try (FuzzServer s = new FuzzServer(x -> {}); GrpcCalls calls = new GrpcCalls()) {
            s.loadBaseline();
            calls.send(s.server(), c);
            s.canary();
            s.verify("after " + file);
        }
    }

    private static String replayHttp(String file) throws Exception {
        HttpCase c = HttpCase.parse(resource(file));
        try (FuzzServer s = new FuzzServer(x -> x.maxRequestBytes = 1 << 20)) {
            s.loadBaseline();
            s.canary();
            String outcome = c.send(s.server());
            s.canary();
            s.verify("after " + file);
            s.restart();
            s.verify("after " + file + " and a restart");
            s.canary();
            return outcome;
        }
    }

    /** A saved input; one stored with a .gz suffix (large ones) is unzipped first. */
    static byte[] resource(String file) throws Exception {
        try (InputStream in = FuzzRegressionsTest.class.getResourceAsStream("/fuzz-regressions/" + file)) {
            assertNotNull(in, file);
            return file.endsWith(".gz") ? new java.util.zip.GZIPInputStream(in).readAllBytes() : in.readAllBytes();
        }
    }
}
