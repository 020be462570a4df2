package tally.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closing from a shutdown hook (SIGTERM) flushes into a partition that does not exist yet: creating its
 * Chronicle maps during JVM shutdown must work, and the process must exit promptly.
 */
class ShutdownFlushTest {
    @TempDir
    Path dir;

    @Test
    void aFlushInTheShutdownHookCreatesANewPartitionAndExits() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        File log = new File(dir.toFile(), "child.log");
        Process p = new ProcessBuilder(java,
                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
                "-Dchronicle.analytics.disable=true", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"),
                ShutdownChild.class.getName(), dir.resolve("data").toString())
                .redirectErrorStream(true).redirectOutput(log).start();
        boolean exited = p.waitFor(60, TimeUnit.SECONDS);
        if (!exited) p.destroyForcibly();
        String out = Files.readString(log.toPath(), StandardCharsets.UTF_8);
        assertTrue(exited, "the child did not exit within 60 s of System.exit:\n" + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("closed"), out);

        Path partitions = dir.resolve("data").resolve("chunks");
        try (Stream<Path> ps = Files.list(partitions)) {
            assertTrue(ps.anyMatch(x -> x.getFileName().toString().equals("p_" + 5 * ShutdownChild.DAY)),
                    "the sealed chunks reached the new day's partition");
        }
        try (TallyStorage s = TallyStorage.open(ShutdownChild.options(dir.resolve("data")))) {
            List<StorageTestSupport.Sample> got = StorageTestSupport.readOne(s, ShutdownChild.SERIES);
            assertEquals(9, got.size());
            assertEquals(8, StorageTestSupport.readOne(s, ShutdownChild.EARLY).size());
            for (int i = 0; i < 9; i++) {
                assertEquals(new StorageTestSupport.Sample(5 * ShutdownChild.DAY + i * 60_000L, i), got.get(i));
            }
        }
    }
}
