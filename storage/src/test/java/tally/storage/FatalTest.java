package tally.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tally.model.Fatal;

/** An OutOfMemoryError in a background task, or in any thread, ends the process at once with a clear line. */
class FatalTest {
    @ParameterizedTest
    @ValueSource(strings = {"task", "thread"})
    void outOfMemoryEndsTheProcessWithStatus3(String where) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), FatalChild.class.getName(), where)
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the process lived on after an OutOfMemoryError");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(Fatal.EXIT_STATUS, p.exitValue(), out);
        assertTrue(out.contains("out of memory: exiting now"), out);
        assertFalse(out.contains("still alive"), out);
    }
}
