package tally.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.server.Main;
import tally.server.testing.RecordingStorage;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, cfg -> new RecordingStorage(), new PrintStream(out, true), new PrintStream(err, true));
    }

    @Test
    void helpListsEveryFlag() {
        assertEquals(0, run("--help"));
        String help = out.toString();
        for (String flag : new String[] {"--storage.path=./data", "--storage.retention=90d", "--web.listen-address=127.0.0.1:9090",
                "--otlp.listen-address=127.0.0.1:4318", "--otlp.grpc-listen-address=127.0.0.1:4317",
                "--otlp.grpc.max-recv-msg-size=16MiB", "--config.file", "--otlp.promote-resource-attributes",
                "--otlp.keep-identifying-resource-attributes", "--web.max-request-bytes", "--web.worker-threads", "--version"}) {
            assertTrue(help.contains(flag), flag + " in\n" + help);
        }
    }

    @Test
    void version() {
        assertEquals(0, run("--version"));
        assertTrue(out.toString().startsWith("tally, version "));
    }

    @Test
    void badFlagValuesStopWithOneLineNamingTheFlag() {
        String[][] cases = {
                {"--storage.retention=ninety", "--storage.retention"},
                {"--web.listen-address=localhost", "--web.listen-address"},
                {"--otlp.listen-address=127.0.0.1:99999", "--otlp.listen-address"},
                {"--otlp.grpc-listen-address=4317", "--otlp.grpc-listen-address"},
                {"--otlp.grpc.max-recv-msg-size=1MiB", "--otlp.grpc.max-recv-msg-size"}, // below gRPC's 4 MiB
                {"--web.worker-threads=0", "--web.worker-threads"},
                {"--web.max-request-bytes=lots", "--web.max-request-bytes"},
                {"--otlp.keep-identifying-resource-attributes=maybe", "--otlp.keep-identifying-resource-attributes"},
                {"--no.such.flag=1", "--no.such.flag"},
                {"--config.file=/nonexistent/tally.conf", "--config.file"},
        };
        for (String[] c : cases) {
            err.reset();
            assertEquals(2, run("serve", c[0]), c[0]);
            String e = err.toString();
            assertEquals(1, e.lines().count(), e);
            assertTrue(e.contains(c[1]), e);
        }
        err.reset();
        assertEquals(2, run("frobnicate"));
        assertTrue(err.toString().contains("unknown command"));
    }

    @Test
    void parsesFlagsAliasesAndConfigFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tally.conf");
        Files.writeString(file, "# settings\nstorage.path: /srv/tally\notlp.promote-resource-attributes: host.name, os.type\n"
                + "web.max-request-bytes = 8MiB\notlp.delta.max-idle: 30m\n");
        ServerConfig c = Flags.parse(List.of("--config.file=" + file, "--storage.tsdb.retention.time", "30d",
                "--otlp.listen-address=", "--storage.path=/override", "--storage.out-of-order-window=30m",
                "--otlp.grpc.max-recv-msg-size=4MiB"));
        assertEquals("/override", c.storagePath, "command line wins over the file");
        assertEquals(Duration.ofDays(30), c.retention);
        assertNull(c.otlpListenAddress, "empty disables OTLP");
        assertEquals(new java.net.InetSocketAddress("127.0.0.1", 4317), c.otlpGrpcListenAddress, "gRPC on by default");
        assertEquals(4L << 20, c.otlpGrpcMaxRecvMsgSize);
        assertNull(Flags.parse(List.of("--otlp.grpc-listen-address=")).otlpGrpcListenAddress, "empty disables OTLP/gRPC");
        assertEquals("127.0.0.1:4317", Flags.describe(new ServerConfig()).get("otlp.grpc-listen-address"));
        assertEquals("16777216", Flags.describe(new ServerConfig()).get("otlp.grpc.max-recv-msg-size"));
        assertEquals(List.of("host.name", "os.type"), c.promoteResourceAttributes);
        assertEquals(8L << 20, c.maxRequestBytes);
        assertEquals(Duration.ofMinutes(30), c.deltaMaxIdle);
        assertEquals(Duration.ofMinutes(30), c.outOfOrderWindow);
        Files.writeString(file, "web.worker-threads: many\n");
        ConfigException e = assertThrows(ConfigException.class, () -> Flags.parse(List.of("--config.file", file.toString())));
        assertTrue(e.getMessage().contains("web.worker-threads in " + file), e.getMessage());
    }

    @Test
    void durationsAndSizes() {
        assertEquals(Duration.ofMinutes(90), Units.parseDuration("1h30m"));
        assertEquals(Duration.ofDays(365), Units.parseDuration("1y"));
        assertEquals(Duration.ofMillis(1500), Units.parseDuration("1s500ms"));
        assertThrows(IllegalArgumentException.class, () -> Units.parseDuration("5 days"));
        assertEquals(32L << 20, Units.parseBytes("32MiB"));
        assertEquals(1000, Units.parseBytes("1KB"));
    }
}
