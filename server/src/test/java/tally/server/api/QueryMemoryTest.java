package tally.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.model.Appender;
import tally.model.Labels;
import tally.server.testing.TestServer;
import tally.storage.MemoryBudget;
import tally.storage.StorageOptions;
import tally.storage.TallyStorage;

/**
 * A query that would select more series than the heap holds room for gets Prometheus's error JSON (422
 * "execution": narrow it) instead of running the process out of memory; a smaller one is answered.
 */
class QueryMemoryTest {
    @TempDir
    Path dir;

    @Test
    void aQueryTooLargeForTheHeapIsRefusedInPrometheusFormat() throws Exception {
        MemoryBudget m = MemoryBudget.forHeap(1L << 30);
        StorageOptions o = StorageOptions.defaults(dir).withMemory(new MemoryBudget(m.headMaxSeries(), m.headPendingBytes(),
                m.heapBlockBytes(), m.heapBlocksBytes(), m.heapPressureFraction(), 8192));
        TallyStorage storage = TallyStorage.open(o);
        try (TestServer s = new TestServer(storage, c -> { })) {
            Appender a = storage.appender();
            for (int i = 0; i < 10_000; i++) a.append(0, Labels.of("__name__", "wide", "i", Integer.toString(i), "odd", "" + (i % 2)), 1000, i);
            a.append(0, Labels.of("__name__", "later"), 10 * 3_600_000L, 1); // ten hours on: the others are idle
            a.commit();
            storage.flush(); // idle series go to the store, where selections count against the budget
            HttpResponse<String> ok = s.get(s.webUrl("/api/v1/query?query=count(wide%7Bodd%3D%221%22%7D)&time=1"));
            assertEquals(200, ok.statusCode(), ok.body());
            HttpResponse<String> r = s.get(s.webUrl("/api/v1/query?query=count(wide)&time=1"));
            assertEquals(422, r.statusCode(), r.body());
            JsonObject j = JsonParser.parseString(r.body()).getAsJsonObject();
            assertEquals("error", j.get("status").getAsString());
            assertEquals("execution", j.get("errorType").getAsString());
            assertTrue(j.get("error").getAsString().contains("raise -Xmx"), r.body());
            assertEquals(200, s.get(s.webUrl("/-/ready")).statusCode());
        }
    }
}
