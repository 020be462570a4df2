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
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SetupClaudeTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T22:45:07Z"), ZoneOffset.UTC);

    @TempDir
    Path home;

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    private int run(String... args) {
        outBytes.reset();
        errBytes.reset();
        return SetupClaude.run(args, new PrintStream(outBytes, true, StandardCharsets.UTF_8),
                new PrintStream(errBytes, true, StandardCharsets.UTF_8), home, CLOCK);
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
        assertFalse(env.has("OTEL_EXPORTER_OTLP_ENDPOINT"), "the generic endpoint would also redirect logs");
        assertTrue(out().contains("Created " + settings()), out());
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
                "OTEL_METRIC_EXPORT_INTERVAL", "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE"), List.copyOf(env.keySet()));
        assertEquals("bar", env.get("FOO").getAsString());
        assertEquals(3, env.get("N").getAsInt());
        assertEquals("otlp", env.get("OTEL_METRICS_EXPORTER").getAsString(), "'none' is replaced");
        assertEquals("http://tally.example:4318/v1/metrics", env.get("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT").getAsString());
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
        for (String option : List.of("--endpoint", "--interval", "--cumulative", "--dry-run", "--shell")) {
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
}
