package tally.server.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tally.model.Labels;
import tally.server.setup.SetupClaude;
import tally.server.testing.TestServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real Claude Code CLI (npm {@code @anthropic-ai/claude-code}), configured with exactly what
 * {@code tally setup-claude --shell} prints, answers one prompt from a stand-in for the Anthropic Messages API and
 * exports its metrics and events to Tally, over OTLP/gRPC and over OTLP/HTTP. The token counts the stand-in reports
 * must come back out of Tally's series, and the events must become their derived series. With a web config that
 * requires a write-only token, {@code setup-claude --token} gives Claude Code the header that gets it in.
 *
 * <p>Skips, saying why, without a CLI: {@code TALLY_CLAUDE_CLI} names one, else {@code claude} on the PATH
 * ({@code .ci/run} installs a pinned version).
 */
class ClaudeCodeCliTest {
    private static final String MODEL = "claude-sonnet-4-5";
    private static final String PROMPT = "say hello";
    private static final String ANSWER = "Hello from the stand-in.";
    private static final Map<String, Integer> USAGE = Map.of("input", 1200, "output", 7, "cacheRead", 300, "cacheCreation", 40);

    @TempDir
    Path home;

    /** "tok3n" hashed by htpasswd -nbBC 10: a write-only ingest token of the web config. */
    private static final String TOKEN_HASH = "$2y$10$7AAUbrHg4R.9ZgceyJMfAeQc.eh8c6yZgS2Nz3GqBwiITWJ9N6WTW";

    @ParameterizedTest(name = "{0}, token {1}")
    @CsvSource({"grpc, false", "http/protobuf, false", "grpc, true", "http/protobuf, true"})
    void claudeCodeLandsInTally(String protocol, boolean token) throws Exception {
        Path cli = findCli();
        Assumptions.assumeTrue(cli != null, "no Claude Code CLI: set TALLY_CLAUDE_CLI or put claude on the PATH "
                + "(npm install @anthropic-ai/claude-code); .ci/run installs one");
        AtomicInteger messages = new AtomicInteger();
        HttpServer api = anthropicStandIn(messages);
        Path webConfig = home.resolve("web.yml");
        Files.writeString(webConfig, "tally_ingest_tokens:\n  claude: " + TOKEN_HASH + "\n");
        try (TestServer s = new TestServer(c -> c.webConfigFile = token ? webConfig.toString() : null)) {
            String endpoint = protocol.equals("grpc") ? "http://127.0.0.1:" + s.grpcPort() : s.otlpUrl("");
            List<String> args = new ArrayList<>(List.of("--protocol", protocol, "--endpoint", endpoint, "--interval", "1s", "--replace-logs"));
            if (token) args.addAll(List.of("--token", "tok3n"));
            Map<String, String> env = setupClaudeShell(args.toArray(new String[0]));
            env.put("OTEL_LOGS_EXPORT_INTERVAL", "500");
            env.put("ANTHROPIC_API_KEY", "sk-ant-tally-test");
            env.put("ANTHROPIC_BASE_URL", "http://127.0.0.1:" + api.getAddress().getPort());
            env.put("DISABLE_AUTOUPDATER", "1");
            String out = runClaude(cli, env);
            assertTrue(out.contains(ANSWER), "Claude Code printed the stand-in's answer: " + out);
            assertEquals(1, messages.get(), "one Messages API call");

            // Claude Code flushes both exporters before it exits; allow the last export to be committed
            for (int i = 0; i < 100 && s.byName("claude_code_user_prompts_total").isEmpty(); i++) Thread.sleep(100);

            Map<String, Double> tokens = new HashMap<>();
            s.byName("claude_code_token_usage_tokens_total").forEach((labels, samples) -> {
                assertEquals(MODEL, labels.get("model"));
                tokens.merge(labels.get("type"), samples.lastEntry().getValue(), Double::sum);
            });
            Map<String, Double> expected = new HashMap<>();
            USAGE.forEach((type, n) -> expected.put(type, n.doubleValue()));
            assertEquals(expected, tokens, "tokens by type, as the API reported them");
            assertEquals(1.0, last(s, "claude_code_session_count_total"));
            // Claude Code's own price for Sonnet 4.5: $3/M input, $15/M output, $0.30/M cache reads, $3.75/M cache writes
            assertEquals(1200 * 3e-6 + 7 * 15e-6 + 300 * 0.3e-6 + 40 * 3.75e-6, last(s, "claude_code_cost_usage_USD_total"), 1e-9);

            // the events, as derived series
            assertEquals(1.0, last(s, "claude_code_api_requests_total"));
            assertEquals(1.0, last(s, "claude_code_user_prompts_total"));
            assertEquals(1.0, last(s, "claude_code_api_request_duration_seconds_count"));
            assertEquals(1.0, last(s, "claude_code_api_time_to_first_token_seconds_count"));
            assertEquals(PROMPT.length(), last(s, "claude_code_prompt_length_chars_sum"));
            s.byName("claude_code_api_requests_total").keySet().forEach(l -> assertEquals(MODEL, l.get("model")));

            String self = s.get(s.webUrl("/metrics")).body();
            if (protocol.equals("grpc")) {
                assertTrue(self.matches("(?s).*tally_grpc_requests_total\\{method=\"metrics\",code=\"0\"} [1-9].*"), self);
                assertTrue(self.matches("(?s).*tally_grpc_requests_total\\{method=\"logs\",code=\"0\"} [1-9].*"), self);
            } else {
                assertTrue(!self.contains("tally_grpc_requests_total{"), "nothing over gRPC: " + self);
            }
        } finally {
            api.stop(0);
        }
    }

    /** The single series named {@code name}: its last value. */
    private static double last(TestServer s, String name) {
        Map<Labels, NavigableMap<Long, Double>> series = s.byName(name);
        assertEquals(1, series.size(), name + ": " + series.keySet());
        return series.values().iterator().next().lastEntry().getValue();
    }

    private static Path findCli() {
        String named = System.getenv("TALLY_CLAUDE_CLI");
        if (named != null && !named.isBlank()) return Files.isExecutable(Path.of(named)) ? Path.of(named) : null;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, "claude");
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    /** What {@code tally setup-claude --shell ARGS} exports, as a map. */
    private Map<String, String> setupClaudeShell(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--shell");
        int code = SetupClaude.run(all.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8), System.err, home);
        assertEquals(0, code);
        Map<String, String> env = new HashMap<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.startsWith("export ")) continue;
            String assignment = line.substring("export ".length());
            int eq = assignment.indexOf('=');
            String value = assignment.substring(eq + 1);
            if (value.startsWith("'")) value = value.substring(1, value.length() - 1).replace("'\\''", "'");
            env.put(assignment.substring(0, eq), value);
        }
        assertTrue(env.containsKey("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"), "setup-claude turned the events on: " + env);
        return env;
    }

    /** Runs one non-interactive prompt in a clean home, with none of this machine's Claude or OTel settings. */
    private String runClaude(Path cli, Map<String, String> telemetry) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cli.toString(), "-p", PROMPT, "--model", MODEL).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("ANTHROPIC_") || k.startsWith("CLAUDE_"));
        env.put("HOME", home.toString());
        env.putAll(telemetry);
        Process p = pb.start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("Claude Code did not finish within 120 s");
        }
        String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "Claude Code's exit status; it printed: " + text);
        return text;
    }

    /**
     * A stand-in for the Anthropic Messages API on loopback: every message request gets one short streamed answer with
     * fixed usage; anything else Claude Code asks is answered so that it carries on.
     */
    private static HttpServer anthropicStandIn(AtomicInteger messages) throws IOException {
        HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                String path = exchange.getRequestURI().getPath();
                if (exchange.getRequestMethod().equals("HEAD")) {
                    exchange.sendResponseHeaders(200, -1);
                } else if (path.equals("/v1/messages") && exchange.getRequestMethod().equals("POST")) {
                    messages.incrementAndGet();
                    send(exchange, "text/event-stream", streamedAnswer());
                } else if (path.equals("/v1/messages/count_tokens")) {
                    send(exchange, "application/json", "{\"input_tokens\": 12}");
                } else {
                    exchange.getResponseHeaders().set("content-type", "application/json");
                    byte[] body = "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"not here\"}}"
                            .getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(404, body.length);
                    exchange.getResponseBody().write(body);
                }
            }
        });
        api.start();
        return api;
    }

    private static void send(HttpExchange exchange, String contentType, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("content-type", contentType);
        exchange.getResponseHeaders().set("request-id", "req_tally_test");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
    }

    /** The Messages API's server-sent events for one text answer. */
    private static String streamedAnswer() {
        String usage = "\"input_tokens\": " + USAGE.get("input") + ", \"output_tokens\": 1, \"cache_read_input_tokens\": "
                + USAGE.get("cacheRead") + ", \"cache_creation_input_tokens\": " + USAGE.get("cacheCreation");
        String[][] events = {
                {"message_start", "{\"type\": \"message_start\", \"message\": {\"id\": \"msg_tally\", \"type\": \"message\", \"role\": "
                        + "\"assistant\", \"model\": \"" + MODEL + "\", \"content\": [], \"stop_reason\": null, \"stop_sequence\": null, "
                        + "\"usage\": {" + usage + "}}}"},
                {"content_block_start", "{\"type\": \"content_block_start\", \"index\": 0, \"content_block\": {\"type\": \"text\", \"text\": \"\"}}"},
                {"content_block_delta", "{\"type\": \"content_block_delta\", \"index\": 0, \"delta\": {\"type\": \"text_delta\", \"text\": \""
                        + ANSWER + "\"}}"},
                {"content_block_stop", "{\"type\": \"content_block_stop\", \"index\": 0}"},
                {"message_delta", "{\"type\": \"message_delta\", \"delta\": {\"stop_reason\": \"end_turn\", \"stop_sequence\": null}, "
                        + "\"usage\": {\"output_tokens\": " + USAGE.get("output") + "}}"},
                {"message_stop", "{\"type\": \"message_stop\"}"},
        };
        StringBuilder sse = new StringBuilder();
        for (String[] e : events) sse.append("event: ").append(e[0]).append("\ndata: ").append(e[1]).append("\n\n");
        return sse.toString();
    }
}
