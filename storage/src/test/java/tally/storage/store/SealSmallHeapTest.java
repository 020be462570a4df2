package tally.storage.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Sealing needs bounded memory whatever the block's timestamps look like (issue 10): a child JVM with a 128 MiB heap
 * seals a block of 8 M samples, every one at an instant of its own (series scraped at their own phases, with and
 * without jitter), and one where series share instants in pairs, so that the planner groups all of it. Before
 * planning was bounded, the instant map alone took ~48 bytes per distinct instant: 8 M samples ran a 1 GiB heap
 * out of memory in the field (bench/RESULTS.md, "Memory that grows with the data").
 */
class SealSmallHeapTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource({"distinct, false", "jitter, false", "pairs, true"})
    void aBlockOfDistinctInstantsSealsInA128MiBHeap(String shape, boolean shares) throws Exception {
        String out = runChild(shape, 2000, 4000);
        assertTrue(out.contains("OK samples=8000000"), out);
        assertTrue(out.contains("timelines=" + shares), "timelines only where series share instants:\n" + out);
    }

    private String runChild(String shape, int series, int samples) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        File log = tmp.resolve(shape + ".log").toFile();
        Process p = new ProcessBuilder(java,
                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
                "-Dchronicle.analytics.disable=true", "-Xmx128m", "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"),
                SealSmallHeapChild.class.getName(), tmp.resolve(shape).toString(), shape,
                Integer.toString(series), Integer.toString(samples))
                .redirectErrorStream(true).redirectOutput(log).start();
        boolean exited = p.waitFor(5, TimeUnit.MINUTES);
        if (!exited) p.destroyForcibly().waitFor();
        String text = Files.readString(log.toPath(), StandardCharsets.UTF_8);
        assertTrue(exited, "the child did not finish within 5 minutes:\n" + text);
        assertEquals(0, p.exitValue(), "the child failed (3 = out of memory):\n" + text);
        return text;
    }
}
