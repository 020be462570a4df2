package tally.storage.wal;

import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SIGKILLs a writing child JVM at random points; every sample it acknowledged must replay. */
class WalKillTest {
    @TempDir
    Path tmp;

    private final List<Process> children = new java.util.ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void killLeftovers() {
        for (Process p : children) p.toHandle().destroyForcibly();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void acknowledgedSamplesSurviveRepeatedSigkill() throws Exception {
        Path dir = tmp.resolve("wal");
        Random rnd = new Random(20261121);
        long next = 0;
        long maxAcked = -1;
        int kills = 12;
        for (int round = 0; round < kills; round++) {
            Process child = new ProcessBuilder(javaBin(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"), WalKillChild.class.getName(),
                    dir.toString(), Long.toString(next))
                    .redirectError(tmp.resolve("child-" + round + ".err").toFile())
                    .start();
            children.add(child);
            int killAfter = 1 + rnd.nextInt(round % 3 == 0 ? 400 : 120);
            int acks = 0;
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("ack ") && line.endsWith(" ok")) {
                        maxAcked = Math.max(maxAcked, Long.parseLong(line.substring(4, line.length() - 3)));
                        if (++acks == killAfter) {
                            if (rnd.nextBoolean()) Thread.sleep(rnd.nextInt(5)); // land anywhere in the loop
                            // SIGKILL, like Process.destroyForcibly(), which would also close our end of
                            // the pipe and lose acks the child printed just before it died
                            child.toHandle().destroyForcibly();
                        }
                    }
                }
            }
            assertTrue(child.waitFor(20, TimeUnit.SECONDS));
            assertTrue(acks >= killAfter, "round " + round + ": child died early, see " + stderr(round));
            next = maxAcked + 1;
        }

        int torn = 0, unfinishedCheckpoints = 0;
        for (int round = 1; round < kills; round++) { // round n's replay repairs what round n-1's kill left
            String err = stderr(round);
            if (err.contains("torn tail")) torn++;
            if (err.contains("unfinished checkpoint")) unfinishedCheckpoints++;
        }
        Recorded r = Recorded.replay(dir, WalKillChild.options());
        System.out.printf("kills=%d acked batches=%d torn tails repaired=%d unfinished checkpoints removed=%d "
                + "final replay: %s%n", kills, maxAcked + 1, torn, unfinishedCheckpoints, r.stats);
        Set<Recorded.Sample> replayed = new HashSet<>(r.samples);
        for (long batch = 0; batch <= maxAcked; batch++) {
            assertEquals(WalKillChild.labels(batch), r.series.get(batch), "series of batch " + batch);
            for (int i = 0; i < WalKillChild.samplesIn(batch); i++) {
                Recorded.Sample s = Recorded.Sample.of(batch, WalKillChild.time(batch, i), WalKillChild.value(batch, i));
                assertTrue(replayed.contains(s), "lost acknowledged sample " + s);
            }
        }
        assertTrue(maxAcked > kills * 10, "acked " + maxAcked);
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> aside = files.filter(p -> p.getFileName().toString().contains(".corrupt-")).toList();
            assertEquals(List.of(), aside, "a kill may tear the tail, never the middle");
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private String stderr(int round) throws IOException {
        return Files.readString(tmp.resolve("child-" + round + ".err"));
    }
}
