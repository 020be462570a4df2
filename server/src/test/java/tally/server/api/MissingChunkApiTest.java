package tally.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.model.Appender;
import tally.model.Labels;
import tally.server.testing.TestServer;
import tally.storage.TallyStorage;

/**
 * A sealed block whose chunk file lost its chunks: a query reading them fails with Prometheus's error JSON naming
 * the series and the block (Prometheus fails such a query too), and /metrics counts the reads.
 */
class MissingChunkApiTest {
    private static final long DAY = 86_400_000L;

    @TempDir
    Path dir;

    @Test
    void queryOverALostChunkFailsAndIsCountedOnMetrics() throws Exception {
        long day = Math.floorDiv(System.currentTimeMillis(), DAY) * DAY - 3 * DAY; // a finished day: its block is sealed
        try (TallyStorage s = TallyStorage.open(dir)) {
            Appender a = s.appender();
            for (int i = 0; i < 200; i++) a.append(0, Labels.of("__name__", "m", "k", "a"), day + 3_600_000L + i * 15_000L, i);
            // data time moves on: the day's series is idle, so the flush moves all its chunks out of the head
            a.append(0, Labels.of("__name__", "now"), System.currentTimeMillis(), 1);
            a.commit();
            s.flush();
        }
        List<Path> chunkFiles;
        try (Stream<Path> files = Files.walk(dir.resolve("chunks"))) {
            chunkFiles = files.filter(p -> p.getFileName().toString().equals("chunks.bin")).toList();
        }
        assertEquals(1, chunkFiles.size(), "the past day was sealed: " + chunkFiles);
        try (FileChannel ch = FileChannel.open(chunkFiles.get(0), StandardOpenOption.WRITE)) {
            ch.truncate(0); // the damage: the block's index lists chunks its chunk file no longer has
        }

        try (TestServer server = new TestServer(dir, c -> { })) {
            String at = Long.toString((day + DAY) / 1000);
            HttpResponse<String> r = server.get(server.webUrl("/api/v1/query?query=count_over_time(m[1d])&time=" + at));
            assertEquals(500, r.statusCode(), r.body());
            assertTrue(r.body().contains("\"errorType\":\"internal\""), r.body());
            assertTrue(r.body().contains("m{k=\\\"a\\\"}") && r.body().contains("is missing from block"), r.body());
            assertTrue(r.body().contains(chunkFiles.get(0).getParent().getFileName().toString()), "names the block: " + r.body());

            String metrics = server.get(server.webUrl("/metrics")).body();
            Matcher m = Pattern.compile("(?m)^tally_storage_missing_chunks_total (\\S+)$").matcher(metrics);
            assertTrue(m.find(), metrics);
            assertTrue(Double.parseDouble(m.group(1)) >= 1, m.group());
            assertFalse(metrics.contains("tally_storage_missing_chunks_total 0\n"));
        }
    }
}
