package tally.server.events;

import org.junit.jupiter.api.Test;
import tally.server.testing.ClaudeCodePayloads;
import tally.server.testing.ClaudeCodePayloads.Payload;
import tally.server.testing.PromApi;
import tally.server.testing.TallyProcess;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tally as its own process, killed with SIGKILL after counting a session's events: after the restart the exporter
 * resends everything and nothing is counted twice (the record of counted events and the totals both survive a kill).
 */
class ClaudeCodeEventsKillTest {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void killedRestartedAndResentCountsOnce() throws Exception {
        List<Payload> payloads = ClaudeCodePayloads.loadLogs("protobuf-gzip-traces");
        ExpectedEventSeries expected = ExpectedEventSeries.of(payloads);
        Path data = Files.createTempDirectory("tally-events-kill-").resolve("data");
        try (TallyProcess tally = TallyProcess.start(data, List.of("-Xmx256m"), List.of())) {
            for (Payload p : payloads) send(tally, p);
            tally.killHard();
            tally.restart();
            for (Payload p : payloads) send(tally, p);
            PromApi api = new PromApi(tally.web(""));
            double at = (expected.lastTime + 1000) / 1000.0;
            assertEquals("", expected.diff(vector(api.query("{__name__=~\"claude_code_.+\"}", at))), tally.log());
            for (Map.Entry<Map<String, String>, Double> e : expected.values.entrySet()) {
                String name = e.getKey().get("__name__");
                if (!name.endsWith("_total")) continue;
                Map<String, String> withoutName = new TreeMap<>(e.getKey());
                withoutName.remove("__name__");
                Map<Map<String, String>, Double> samples = vector(api.query("count_over_time(" + name + "[10m])", at));
                assertEquals(e.getValue(), samples.get(withoutName), "one sample per event of " + e.getKey());
            }
        }
    }

    private void send(TallyProcess tally, Payload p) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(tally.otlp("/v1/logs"))).timeout(Duration.ofSeconds(20))
                .header("Content-Type", p.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(p.wire()));
        if (p.contentEncoding() != null) b.header("Content-Encoding", p.contentEncoding());
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), p.name() + ": " + r.body());
    }

    private static Map<Map<String, String>, Double> vector(PromApi.Reply reply) {
        assertTrue(reply.success(), reply.body());
        return reply.vector();
    }
}
