package tally.server.setup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SetupClaudeTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T22:45:07Z"), ZoneOffset.UTC);

    @TempDir
    Path home;

    /** The process environment setup-claude sees (empty unless a test sets it). */
    private Map<String, String> environment = Map.of();
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    private int run(String... args) {
        outBytes.reset();
        errBytes.reset();
        return SetupClaude.run(args, new PrintStream(outBytes, true, StandardCharsets.UTF_8),
                new PrintStream(errBytes, true, StandardCharsets.UTF_8), home, CLOCK, environment);
    }

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    private Path settings() {
        return home.resolve(".claude").resolve("settings.json");
    }

    private void writeSettings(String json) throws IOException {
        Files.createDirectories(settings().getParent());
        Files.writeString(settings(), json);
    }

    private JsonObject env() throws Exception {
        return SettingsFile.read(settings()).getAsJsonObject("env");
    }

    private List<Path> backups() throws IOException {
        try (Stream<Path> files = Files.list(settings().getParent())) {
            return files.filter(p -> p.getFileName().toString().startsWith("settings.json.bak-")).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void createsSettingsFileWithTelemetryEnv() throws Exception {
        assertEquals(0, run());
        JsonObject env = env();
        assertEquals("1", env.get("CLAUDE_CODE_ENABLE_TELEMETRY").getAsString());
        assertEquals("otlp", env.get("OTEL_METRICS_EXPORTER").getAsString());
        assertEquals("http/protobuf", env.get("OTEL_EXPORTER_OTLP_METRICS_PROTOCOL").getAsString());
        assertEquals("http://127.0.0.1:4318/v1/metrics", env.get("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT").getAsString());
        assertFalse(env.has("OTEL_METRIC_EXPORT_INTERVAL"), "default interval is left to Claude Code");
        assertFalse(env.has("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE"));
        assertFalse(env.has("OTEL_EXPORTER_OTLP_ENDPOINT"), "the generic endpoint would also redirect traces");
        assertEquals("otlp", env.get("OTEL_LOGS_EXPORTER").getAsString());
        assertEquals("http/protobuf", env.get("OTEL_EXPORTER_OTLP_LOGS_PROTOCOL").getAsString());
        assertEquals("http://127.0.0.1:4318/v1/logs", env.get("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT").getAsString());
        assertTrue(out().contains("Created " + settings()), out());
        assertTrue(out().contains("and events to http://127.0.0.1:4318/v1/logs"), out());
        assertTrue(backups().isEmpty(), "nothing to back up for a new file");
        assertTrue(Files.readString(settings()).endsWith("}\n"));
    }

    @Test
    void mergesIntoExistingFileKeepingOtherKeysAndOrder() throws Exception {
        String before = "{\n  \"model\": \"opus\",\n  \"env\": {\"FOO\": \"bar\", \"OTEL_METRICS_EXPORTER\": \"none\", \"N\": 3},\n"
                + "  \"permissions\": {\"allow\": [\"Bash(ls:*)\"], \"deny\": []},\n  \"nothing\": null,\n  \"big\": 12345678901234567890\n}\n";
        writeSettings(before);
        assertEquals(0, run("--endpoint", "http://tally.example:4318/", "--interval", "10s", "--cumulative"));

        JsonObject root = SettingsFile.read(settings());
        assertEquals(List.of("model", "env", "permissions", "nothing", "big"), List.copyOf(root.keySet()));
        assertEquals("opus", root.get("model").getAsString());
        assertTrue(root.get("nothing").isJsonNull(), "explicit nulls survive");
        assertTrue(Files.readString(settings()).contains("12345678901234567890"), "numbers keep their text");
        assertEquals("Bash(ls:*)", root.getAsJsonObject("permissions").getAsJsonArray("allow").get(0).getAsString());

        JsonObject env = root.getAsJsonObject("env");
        assertEquals(List.of("FOO", "OTEL_METRICS_EXPORTER", "N", "CLAUDE_CODE_ENABLE_TELEMETRY",
                "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT",
                "OTEL_METRIC_EXPORT_INTERVAL", "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", "OTEL_LOGS_EXPORTER",
                "OTEL_EXPORTER_OTLP_LOGS_PROTOCOL", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"), List.copyOf(env.keySet()));
        assertEquals("bar", env.get("FOO").getAsString());
        assertEquals(3, env.get("N").getAsInt());
        assertEquals("otlp", env.get("OTEL_METRICS_EXPORTER").getAsString(), "'none' is replaced");
        assertEquals("http://tally.example:4318/v1/metrics", env.get("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT").getAsString());
        assertEquals("http://tally.example:4318/v1/logs", env.get("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT").getAsString());
        assertEquals("10000", env.get("OTEL_METRIC_EXPORT_INTERVAL").getAsString());
        assertEquals("cumulative", env.get("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE").getAsString());

        List<Path> backups = backups();
        assertEquals(1, backups.size());
        assertEquals("settings.json.bak-20261121-224507", backups.get(0).getFileName().toString());
        assertEquals(before, Files.readString(backups.get(0)), "the backup is the previous file byte for byte");
    }

    @Test
    void keepsOtherMetricsExporters() throws Exception {
        writeSettings("{\"env\": {\"OTEL_METRICS_EXPORTER\": \"prometheus\"}}");
        assertEquals(0, run());
        assertEquals("prometheus,otlp", env().get("OTEL_METRICS_EXPORTER").getAsString());
        assertEquals(0, run());
        assertEquals("prometheus,otlp", env().get("OTEL_METRICS_EXPORTER").getAsString());
    }

    @Test
    void secondRunChangesNothing() throws Exception {
        writeSettings("{\"theme\": \"dark\"}");
        assertEquals(0, run());
        String first = Files.readString(settings());
        List<Path> backupsAfterFirst = backups();
        assertEquals(1, backupsAfterFirst.size());

        assertEquals(0, run());
        assertTrue(out().contains("already set up"), out());
        assertEquals(first, Files.readString(settings()));
        assertEquals(backupsAfterFirst, backups(), "an unchanged file gets no new backup");
    }

    @Test
    void changedSecondRunInTheSameSecondKeepsBothBackups() throws Exception {
        writeSettings("{}");
        assertEquals(0, run());
        assertEquals(0, run("--interval", "5000"));
        List<Path> backups = backups();
        assertEquals(2, backups.size());
        assertEquals("{}", Files.readString(backups.get(0)));
        assertTrue(Files.readString(backups.get(1)).contains("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"));
        assertEquals("5000", env().get("OTEL_METRIC_EXPORT_INTERVAL").getAsString());
    }

    @Test
    void dryRunPrintsResultAndWritesNothing() throws Exception {
        writeSettings("{\"model\": \"sonnet\"}");
        assertEquals(0, run("--dry-run"));
        JsonObject printed = SettingsFile.parse(out(), Path.of("stdout"));
        assertEquals("sonnet", printed.get("model").getAsString());
        assertEquals("otlp", printed.getAsJsonObject("env").get("OTEL_METRICS_EXPORTER").getAsString());
        assertEquals("{\"model\": \"sonnet\"}", Files.readString(settings()));
        assertTrue(backups().isEmpty());
    }

    @Test
    void dryRunWithoutFileCreatesNothing() {
        assertEquals(0, run("--dry-run"));
        assertTrue(out().contains("\"CLAUDE_CODE_ENABLE_TELEMETRY\": \"1\""), out());
        assertFalse(Files.exists(settings().getParent()));
    }

    @Test
    void shellPrintsExportLinesAndWritesNothing() {
        assertEquals(0, run("--shell", "--endpoint=http://127.0.0.1:9090/api/v1/otlp", "--cumulative"));
        String out = out();
        assertTrue(out.contains("export CLAUDE_CODE_ENABLE_TELEMETRY=1\n"), out);
        assertTrue(out.contains("export OTEL_METRICS_EXPORTER=otlp\n"), out);
        assertTrue(out.contains("export OTEL_EXPORTER_OTLP_METRICS_PROTOCOL=http/protobuf\n"), out);
        assertTrue(out.contains("export OTEL_EXPORTER_OTLP_METRICS_ENDPOINT=http://127.0.0.1:9090/api/v1/otlp/v1/metrics\n"), out);
        assertTrue(out.contains("export OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE=cumulative\n"), out);
        assertTrue(out.contains("export OTEL_LOGS_EXPORTER=otlp\n"), out);
        assertTrue(out.contains("export OTEL_EXPORTER_OTLP_LOGS_ENDPOINT=http://127.0.0.1:9090/api/v1/otlp/v1/logs\n"), out);
        assertFalse(Files.exists(settings()));
    }

    @Test
    void badJsonIsReportedAndFileUntouched() throws Exception {
        String broken = "{\"model\": \"opus\",, // comment\n";
        writeSettings(broken);
        assertEquals(1, run());
        assertTrue(err().contains("not valid JSON"), err());
        assertTrue(err().contains(settings().toString()), err());
        assertEquals(broken, Files.readString(settings()));
        assertTrue(backups().isEmpty());
    }

    @Test
    void lenientJsonIsRejectedToo() throws Exception {
        for (String text : List.of("{'a': 1}", "{a: 1}", "{\"a\": 1} {\"b\": 2}", "[1, 2]", "{\"env\": \"x\"}")) {
            writeSettings(text);
            assertEquals(1, run(), text);
            assertEquals(text, Files.readString(settings()));
        }
    }

    @Test
    void endpointAlreadyNamingMetricsPathIsKept() throws Exception {
        assertEquals(0, run("--endpoint", "https://otel.example.com/v1/metrics"));
        assertEquals("https://otel.example.com/v1/metrics", env().get("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT").getAsString());
        assertEquals("https://otel.example.com/v1/logs", env().get("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT").getAsString());
    }

    @Test
    void unusableArgumentsAreUsageErrors() {
        assertEquals(2, run("--endpoint", "ftp://x"));
        assertTrue(err().contains("--endpoint"), err());
        assertEquals(2, run("--interval", "soon"));
        assertEquals(2, run("--interval", "0"));
        assertEquals(2, run("--endpoint"));
        assertEquals(2, run("--bogus"));
        assertFalse(Files.exists(settings()));
    }

    @Test
    void helpListsOptions() {
        assertEquals(0, run("--help"));
        for (String option : List.of("--endpoint", "--protocol", "--interval", "--cumulative", "--replace-logs", "--dry-run", "--shell")) {
            assertTrue(out().contains(option), option);
        }
    }

    @Test
    void writesThroughSymlinkedSettings() throws Exception {
        Path real = home.resolve("dotfiles").resolve("claude-settings.json");
        Files.createDirectories(real.getParent());
        Files.writeString(real, "{\"model\": \"opus\"}");
        Files.createDirectories(settings().getParent());
        Files.createSymbolicLink(settings(), real);
        assertEquals(0, run());
        assertTrue(Files.isSymbolicLink(settings()), "the link is kept");
        assertTrue(Files.readString(real).contains("CLAUDE_CODE_ENABLE_TELEMETRY"));
    }

    @Test
    void keepsALogsPipelineThatIsNotTallys() throws Exception {
        String before = "{\"env\": {\"OTEL_LOGS_EXPORTER\": \"otlp\", \"OTEL_EXPORTER_OTLP_LOGS_ENDPOINT\": \"https://collector.corp:4318/v1/logs\","
                + " \"OTEL_EXPORTER_OTLP_LOGS_PROTOCOL\": \"grpc\"}}";
        writeSettings(before);
        assertEquals(0, run());
        JsonObject env = env();
        assertEquals("otlp", env.get("OTEL_LOGS_EXPORTER").getAsString());
        assertEquals("https://collector.corp:4318/v1/logs", env.get("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT").getAsString());
        assertEquals("grpc", env.get("OTEL_EXPORTER_OTLP_LOGS_PROTOCOL").getAsString());
        assertEquals("http://127.0.0.1:4318/v1/metrics", env.get("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT").getAsString(), "metrics still set up");
        assertTrue(out().contains("events keep going to https://collector.corp:4318/v1/logs"), out());
        assertTrue(out().contains("--replace-logs"), out());
        assertFalse(out().contains("and events to"), out());

        assertEquals(0, run("--replace-logs"));
        env = env();
        assertEquals("http://127.0.0.1:4318/v1/logs", env.get("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT").getAsString());
        assertEquals("http/protobuf", env.get("OTEL_EXPORTER_OTLP_LOGS_PROTOCOL").getAsString());
        assertTrue(out().contains("and events to http://127.0.0.1:4318/v1/logs"), out());
        assertEquals(0, run());
        assertTrue(out().contains("already set up"), "Tally's own logs endpoint is not someone else's pipeline: " + out());
    }

    /** An otlp logs exporter that uses the generic endpoint is a pipeline too; so is one set in the shell environment. */
    @Test
    void keepsLogsPipelinesOfTheGenericEndpointAndTheEnvironment() throws Exception {
        writeSettings("{\"env\": {\"OTEL_LOGS_EXPORTER\": \"otlp\", \"OTEL_EXPORTER_OTLP_ENDPOINT\": \"http://collector:4318/\"}}");
        assertEquals(0, run());
        assertFalse(env().has("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"));
        assertTrue(out().contains("events keep going to http://collector:4318/v1/logs"), out());

        Files.delete(settings());
        environment = Map.of("OTEL_LOGS_EXPORTER", "otlp", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", "http://collector:4318/v1/logs");
        assertEquals(0, run());
        assertFalse(env().has("OTEL_LOGS_EXPORTER"), "settings.json would override the environment's pipeline");
        assertTrue(out().contains("events keep going to http://collector:4318/v1/logs"), out());

        assertEquals(0, run("--shell"));
        assertFalse(out().contains("OTEL_LOGS_EXPORTER"), out());
        assertTrue(out().contains("# Claude Code's events keep going to http://collector:4318/v1/logs"), out());
    }

    /** Another kind of logs exporter (console) is kept next to otlp; Tally at localhost is Tally. */
    @Test
    void addsOtlpNextToOtherLogsExportersAndRecognisesTally() throws Exception {
        writeSettings("{\"env\": {\"OTEL_LOGS_EXPORTER\": \"console\"}}");
        assertEquals(0, run());
        assertEquals("console,otlp", env().get("OTEL_LOGS_EXPORTER").getAsString());
        assertEquals("http://127.0.0.1:4318/v1/logs", env().get("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT").getAsString());

        writeSettings("{\"env\": {\"OTEL_LOGS_EXPORTER\": \"otlp\", \"OTEL_EXPORTER_OTLP_LOGS_ENDPOINT\": \"http://localhost:4318/v1/logs/\"}}");
        assertEquals(0, run());
        assertEquals("http://127.0.0.1:4318/v1/logs", env().get("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT").getAsString());
        assertFalse(out().contains("keep going"), out());
    }

    @Test
    void grpcPointsBothSignalsAtPort4317WithoutPaths() throws Exception {
        assertEquals(0, run("--protocol", "grpc"));
        JsonObject env = env();
        assertEquals("grpc", env.get("OTEL_EXPORTER_OTLP_METRICS_PROTOCOL").getAsString());
        assertEquals("http://127.0.0.1:4317", env.get("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT").getAsString());
        assertEquals("grpc", env.get("OTEL_EXPORTER_OTLP_LOGS_PROTOCOL").getAsString());
        assertEquals("http://127.0.0.1:4317", env.get("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT").getAsString());
        assertEquals("otlp", env.get("OTEL_LOGS_EXPORTER").getAsString());
        assertTrue(out().contains("metrics to http://127.0.0.1:4317 (every"), out());
        assertTrue(out().contains("and events to http://127.0.0.1:4317."), out());
        assertEquals(0, run("--protocol=grpc"));
        assertTrue(out().contains("already set up"), out());

        // a signal path on the address is dropped (gRPC ignores it); any other path is a mistake worth saying
        assertEquals(0, run("--protocol", "grpc", "--endpoint", "https://tally.example:4317/v1/metrics"));
        assertEquals("https://tally.example:4317", env().get("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT").getAsString());
        assertEquals(2, run("--protocol", "grpc", "--endpoint", "http://tally.example:9090/api/v1/otlp"));
        assertTrue(err().contains("--protocol grpc takes an address without a path"), err());
        assertEquals("https://tally.example:4317", env().get("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT").getAsString(), "unchanged");
    }

    /** Switching protocol moves the events with the metrics: Tally's default addresses are never someone else's pipeline. */
    @Test
    void switchingProtocolMovesTheEventsToo() throws Exception {
        assertEquals(0, run());
        assertEquals(0, run("--protocol", "grpc"));
        assertEquals("http://127.0.0.1:4317", env().get("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT").getAsString());
        assertFalse(out().contains("keep going"), out());
        assertEquals(0, run("--protocol", "http/json"));
        JsonObject env = env();
        assertEquals("http/json", env.get("OTEL_EXPORTER_OTLP_METRICS_PROTOCOL").getAsString());
        assertEquals("http/json", env.get("OTEL_EXPORTER_OTLP_LOGS_PROTOCOL").getAsString());
        assertEquals("http://127.0.0.1:4318/v1/logs", env.get("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT").getAsString());

        // the setup the recorded gRPC capture used: generic endpoint and protocol, a collector on localhost:4317
        writeSettings("{\"env\": {\"OTEL_LOGS_EXPORTER\": \"otlp\", \"OTEL_EXPORTER_OTLP_ENDPOINT\": \"http://localhost:4317\","
                + " \"OTEL_EXPORTER_OTLP_PROTOCOL\": \"grpc\"}}");
        assertEquals(0, run("--protocol", "grpc"));
        assertEquals("http://127.0.0.1:4317", env().get("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT").getAsString());
        // the same generic endpoint elsewhere is the user's collector: kept, and named as a gRPC address
        writeSettings("{\"env\": {\"OTEL_LOGS_EXPORTER\": \"otlp\", \"OTEL_EXPORTER_OTLP_ENDPOINT\": \"http://collector:4317\","
                + " \"OTEL_EXPORTER_OTLP_PROTOCOL\": \"grpc\"}}");
        assertEquals(0, run("--protocol", "grpc"));
        assertFalse(env().has("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"));
        assertTrue(out().contains("events keep going to http://collector:4317 "), out());
    }

    @Test
    void unknownProtocolIsAUsageError() throws Exception {
        assertEquals(2, run("--protocol", "thrift"));
        assertTrue(err().contains("--protocol must be http/protobuf, http/json or grpc: thrift"), err());
        assertFalse(Files.exists(settings()));
    }

    @Test
    void tokenIsSentAsABearerHeaderPerSignal() throws Exception {
        assertEquals(0, run("--token", "tly_abc-DEF_123"));
        JsonObject env = env();
        assertEquals("Authorization=Bearer%20tly_abc-DEF_123", env.get("OTEL_EXPORTER_OTLP_METRICS_HEADERS").getAsString());
        assertEquals("Authorization=Bearer%20tly_abc-DEF_123", env.get("OTEL_EXPORTER_OTLP_LOGS_HEADERS").getAsString());
        assertFalse(env.has("OTEL_EXPORTER_OTLP_HEADERS"), "the generic headers would also go wherever traces go");
        assertEquals(0, run("--shell", "--token=tly_abc-DEF_123"));
        assertTrue(out().contains("export OTEL_EXPORTER_OTLP_METRICS_HEADERS=Authorization=Bearer%20tly_abc-DEF_123\n"), out());
        assertEquals(2, run("--token", "has space"));
        assertTrue(err().contains("--token must be printable ASCII"), err());
    }
}
