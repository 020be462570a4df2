package tally.storage.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.model.Labels;

/** A writer process is SIGKILLed mid-stream: every acknowledged chunk is there and the store takes writes again. */
class SigkillTest {
    @TempDir
    Path dir;

    static Labels labels(int i) {
        return StoreTestSupport.claude("m" + (i % 5), "s" + (i % 400) / 5, "opus");
    }

    static long time(int i) {
        return 1000L * (i / 400) + (i / 400 % 3 == 2 ? StoreTestSupport.DAY : 0); // some rounds in day 1
    }

    @Test
    void acknowledgedChunksSurviveKill() throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
                "-Dchronicle.analytics.disable=true", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), KillWriterMain.class.getName(), dir.toString()));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        int acked = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("ACKED ")) acked = Integer.parseInt(line.substring(6));
                if (acked >= 3000) break;
            }
            p.destroyForcibly(); // SIGKILL on Linux
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
        assertTrue(acked >= 3000, "child acknowledged only " + acked);

        try (ChunkStore s = ChunkStore.open(dir, StoreTestSupport.tiny())) {
            Map<Labels, List<String>> got = new HashMap<>();
            try (StoreReader r = s.reader(0, 2 * StoreTestSupport.DAY)) {
                for (StoreTestSupport.Read rd : StoreTestSupport.readAll(r, StoreTestSupport.all(), 0, 2 * StoreTestSupport.DAY)) {
                    got.put(rd.labels(), rd.chunks());
                }
            }
            for (int i = 0; i < acked; i++) {
                Labels l = labels(i);
                String want = new String(StoreTestSupport.chunk(l, time(i)), StandardCharsets.UTF_8);
                assertTrue(got.containsKey(l) && got.get(l).contains(want), "lost acknowledged chunk " + i);
            }
            // recovered maps take writes at once (no stale segment lock)
            long t0 = System.nanoTime();
            Labels l = labels(0);
            s.write(0, l, StoreTestSupport.chunk(l, 999_999), 999_999, 999_999 + 10);
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10), "write after recovery blocked");
            try (StoreReader r = s.reader(999_999, 999_999)) {
                assertEquals(1, r.select(StoreTestSupport.all(), false).size());
            }
        }
    }
}
