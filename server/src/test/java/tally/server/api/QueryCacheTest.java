package tally.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tally.model.Appender;
import tally.model.Labels;
import tally.server.testing.TestServer;

/**
 * {@code --query.result-cache-size} end to end: a refreshed range query is answered from cached pieces with the same
 * body, a late sample in a cached range shows up in the next answer, and 0 turns the cache off.
 */
class QueryCacheTest {
    private static final long HOUR = 3_600_000L;

    @Test
    void aRefreshIsServedFromTheCacheAndLateSamplesShowUp() throws Exception {
        try (TestServer s = new TestServer(c -> { })) {
            long end = (System.currentTimeMillis() / HOUR - 2) * HOUR; // settled: two hours ago
            long start = end - 48 * HOUR;
            write(s, "requests_total", "a", start, end, 1);
            String url = rangeUrl(s, "sum(rate(requests_total[5m]))", start, end);

            HttpResponse<String> first = s.get(url);
            assertEquals(200, first.statusCode(), first.body());
            assertEquals(0.0, metric(s, "tally_query_cache_hits_total"));
            assertTrue(metric(s, "tally_query_cache_entries") > 0);
            HttpResponse<String> again = s.get(url);
            assertEquals(first.body(), again.body());
            assertTrue(metric(s, "tally_query_cache_hits_total") > 0, "the refresh used the cache");

            // a second series, sent late into the middle of the range: the next answer includes it
            write(s, "requests_total", "late", start + 20 * HOUR, start + 22 * HOUR, 100);
            assertTrue(metric(s, "tally_query_cache_invalidated_total") > 0);
            HttpResponse<String> after = s.get(url);
            assertNotEquals(first.body(), after.body());
            try (TestServer uncached = new TestServer(c -> c.queryResultCacheBytes = 0)) {
                write(uncached, "requests_total", "a", start, end, 1);
                write(uncached, "requests_total", "late", start + 20 * HOUR, start + 22 * HOUR, 100);
                assertEquals(uncached.get(rangeUrl(uncached, "sum(rate(requests_total[5m]))", start, end)).body(), after.body());
                assertFalse(uncached.get(uncached.webUrl("/metrics")).body().contains("tally_query_cache_"));
            }
        }
    }

    /** A counter growing by {@code perMinute} each minute over [from, to). */
    private static void write(TestServer s, String name, String instance, long from, long to, double perMinute) {
        Appender a = s.storage.appender();
        double v = 0;
        for (long t = from; t < to; t += 60_000) {
            a.append(0, Labels.of("__name__", name, "instance", instance), t, v += perMinute);
        }
        a.commit();
    }

    private static String rangeUrl(TestServer s, String q, long start, long end) {
        return s.webUrl("/api/v1/query_range?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8)
                + "&start=" + start / 1000 + "&end=" + end / 1000 + "&step=300");
    }

    private static double metric(TestServer s, String name) throws Exception {
        for (String line : s.get(s.webUrl("/metrics")).body().split("\n")) {
            if (line.startsWith(name + " ")) return Double.parseDouble(line.substring(name.length() + 1));
        }
        throw new AssertionError(name + " not on /metrics");
    }
}
