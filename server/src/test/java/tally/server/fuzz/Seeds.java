package tally.server.fuzz;

import tally.server.testing.ClaudeCodePayloads;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The recorded Claude Code exports (test resources {@code claude-code-otlp/}, the same captures as
 * ../shared/reference/claude-code-otlp) as fuzz seeds: each body decompressed and unframed, by signal and encoding.
 */
final class Seeds {
    enum Signal { METRICS, LOGS }

    /** One recorded body, as the OTLP/HTTP decoder sees it. */
    record Body(Signal signal, boolean json, byte[] bytes) {}

    private static List<Body> all;

    private Seeds() {}

    /** Every recorded export of every capture (metrics and logs; protobuf, JSON; gzip undone, gRPC unframed). */
    static synchronized List<Body> recorded() {
        if (all != null) return all;
        List<Body> out = new ArrayList<>();
        try {
            for (String capture : ClaudeCodePayloads.LOG_CAPTURES) {
                for (ClaudeCodePayloads.Payload p : ClaudeCodePayloads.load(capture)) out.add(body(Signal.METRICS, p));
                for (ClaudeCodePayloads.Payload p : ClaudeCodePayloads.loadLogs(capture)) out.add(body(Signal.LOGS, p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        all = List.copyOf(out);
        return all;
    }

    /** The bodies of one signal and encoding. */
    static List<byte[]> of(Signal signal, boolean json) {
        List<byte[]> out = new ArrayList<>();
        for (Body b : recorded()) if (b.signal() == signal && b.json() == json) out.add(b.bytes());
        if (out.isEmpty()) throw new IllegalStateException("no recorded " + signal + (json ? " JSON" : " protobuf") + " bodies");
        return out;
    }

    private static Body body(Signal signal, ClaudeCodePayloads.Payload p) throws IOException {
        byte[] b = p.wire();
        if ("gzip".equals(p.contentEncoding())) {
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(b))) {
                b = in.readAllBytes();
            }
        }
        if (p.contentType().startsWith("application/grpc")) b = Arrays.copyOfRange(b, 5, b.length); // one uncompressed message
        return new Body(signal, p.contentType().contains("json"), b);
    }

    /** Dictionary tokens for OTLP/JSON: field names of the proto3 JSON mapping and awkward values. */
    static List<byte[]> jsonTokens() {
        return tokens("\"resourceMetrics\":", "\"scopeMetrics\":", "\"metrics\":", "\"sum\":", "\"gauge\":", "\"histogram\":",
                "\"exponentialHistogram\":", "\"summary\":", "\"dataPoints\":", "\"asDouble\":", "\"asInt\":", "\"timeUnixNano\":",
                "\"startTimeUnixNano\":", "\"attributes\":", "\"key\":", "\"value\":", "\"stringValue\":", "\"intValue\":",
                "\"doubleValue\":", "\"boolValue\":", "\"arrayValue\":", "\"kvlistValue\":", "\"bytesValue\":", "\"values\":",
                "\"aggregationTemporality\":", "\"isMonotonic\":", "\"bucketCounts\":", "\"explicitBounds\":", "\"count\":",
                "\"quantileValues\":", "\"quantile\":", "\"name\":", "\"unit\":", "\"resourceLogs\":", "\"scopeLogs\":",
                "\"logRecords\":", "\"body\":", "\"severityNumber\":", "\"traceId\":", "\"spanId\":", "\"exemplars\":", "\"flags\":",
                "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "1e308", "-1e308", "1e999", "-0", "18446744073709551615",
                "9223372036854775808", "-9223372036854775809", "\"\\u0000\"", "\"\\ud800\"", "null", "true", "[]", "{}", "[[[[",
                "{\"a\":", "\"", ",", ":", "}", "]", "\"event.name\"", "\"session.id\"", "\"event.sequence\"", "\"api_request\"",
                "\"tool_result\"", "\"claude_code.api_request\"", "\"le\"", "\"__name__\"");
    }

    /** Strings worth putting into OTLP protobuf string fields: names, units, attribute keys and awkward text. */
    static List<byte[]> otlpTokens() {
        return tokens("claude_code.cost.usage", "USD", "tokens", "s", "ms", "By", "1", "{request}", "%", "session.id",
                "service.name", "service.instance.id", "service.namespace", "event.name", "event.sequence", "api_request",
                "api_error", "tool_result", "tool_decision", "user_prompt", "le", "quantile", "__name__", "job", "instance",
                "target_info", "a.b.c", "über", "", " ", "\u0000", "\n", "_total", "_bucket", "9", "-1", "1e309", "NaN");
    }

    static List<byte[]> tokens(String... words) {
        List<byte[]> out = new ArrayList<>(words.length);
        for (String w : words) out.add(w.getBytes(StandardCharsets.UTF_8));
        return out;
    }
}
