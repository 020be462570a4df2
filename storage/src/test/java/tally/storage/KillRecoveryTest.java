package tally.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.storage.StorageTestSupport.Sample;

/**
 * The durability promise: a sample whose commit returned survives SIGKILL. A child JVM appends and
 * acknowledges batches; it is killed at random points (mid-append, mid-flush, mid-checkpoint)
 * twelve times; at the end every acknowledged sample must be readable.
 */
class KillRecoveryTest {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedSampleSurvivesSigkill() throws Exception {
        long lastAck = killRepeatedly(12, 0, new Random(7));
        try (TallyStorage s = TallyStorage.open(StorageOptions.defaults(dir))) {
            for (int i = 0; i < KillChild.SERIES; i++) {
                List<Sample> got = StorageTestSupport.readOne(s, KillChild.labels(i));
                List<Sample> want = new ArrayList<>();
                for (long b = 0; b <= lastAck; b++) {
                    if (KillChild.written(b, i)) want.add(new Sample(KillChild.time(b), KillChild.value(b, i)));
                }
                // samples of the batch in flight at the kill may or may not be there: compare the acknowledged prefix
                assertTrue(got.size() >= want.size(), "series " + i + ": " + got.size() + " < " + want.size());
                assertEquals(want, got.subList(0, want.size()), "series " + i);
            }
        }
    }

    /** With an out-of-order window: acknowledged out-of-order samples survive too, in time order. */
    @Test
    void everyAcknowledgedOutOfOrderSampleSurvivesSigkill() throws Exception {
        long window = 600_000;
        long lastAck = killRepeatedly(4, window, new Random(8));
        int outOfOrderChecked = 0;
        try (TallyStorage s = TallyStorage.open(StorageOptions.defaults(dir).withOutOfOrderWindowMillis(window))) {
            for (int i = 0; i < KillChild.SERIES; i++) {
                List<Sample> got = StorageTestSupport.readOne(s, KillChild.labels(i));
                java.util.Set<Sample> have = new java.util.HashSet<>(got);
                for (long b = 0; b <= lastAck; b++) {
                    if (KillChild.written(b, i)) {
                        Sample x = new Sample(KillChild.time(b), KillChild.value(b, i));
                        assertTrue(have.contains(x), "series " + i + " lost " + x);
                    }
                    if (KillChild.oooWritten(b, i)) {
                        Sample x = new Sample(KillChild.oooTime(b), KillChild.oooValue(b, i));
                        assertTrue(have.contains(x), "series " + i + " lost out-of-order " + x);
                        outOfOrderChecked++;
                    }
                }
                // anything else must be a sample some (unacknowledged) batch really wrote
                for (Sample x : got) assertTrue(written(x, i), "series " + i + " has a sample nobody wrote: " + x);
            }
        }
        assertTrue(outOfOrderChecked > 100, "too few out-of-order samples acknowledged: " + outOfOrderChecked);
    }

    private static boolean written(Sample x, int i) {
        if (x.t() % 1000 == 7) {
            long b = (x.t() - 7) / 1000;
            return KillChild.written(b, i) && x.v() == KillChild.value(b, i);
        }
        long b = (x.t() - 507) / 1000 + 10;
        return x.t() % 1000 == 507 && KillChild.oooWritten(b, i) && x.v() == KillChild.oooValue(b, i);
    }

    /** Starts, lets acknowledge and kills the child {@code rounds} times; returns the last batch acknowledged. */
    private long killRepeatedly(int rounds, long window, Random r) throws Exception {
        long lastAck = -1;
        for (int round = 0; round < rounds; round++) {
            Process p = startChild(lastAck + 1, window);
            int acksWanted = 5 + r.nextInt(60);
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                int acks = 0;
                String line;
                while (acks < acksWanted && (line = out.readLine()) != null) {
                    if (line.startsWith("ack ")) {
                        lastAck = Long.parseLong(line.substring(4));
                        acks++;
                    }
                }
                assertTrue(acks > 0, "child made no progress in round " + round);
                Thread.sleep(r.nextInt(30)); // let it get somewhere inside the next batch or a flush
                p.destroyForcibly();
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
                // drain acks printed before the kill landed (the JDK may already have closed the pipe:
                // then those acks count as unacknowledged, which only makes the check weaker)
                try {
                    while ((line = out.readLine()) != null) {
                        if (line.startsWith("ack ")) lastAck = Long.parseLong(line.substring(4));
                    }
                } catch (java.io.IOException closed) {
                    // pipe closed by destroyForcibly
                }
            }
        }
        return lastAck;
    }

    private Process startChild(long firstBatch, long window) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java,
                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
                "-Dchronicle.analytics.disable=true", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"),
                KillChild.class.getName(), dir.toString(), Long.toString(firstBatch), Long.toString(window)));
        return new ProcessBuilder(cmd).redirectError(new File(dir.toFile(), "child-stderr.log")).start();
    }
}
