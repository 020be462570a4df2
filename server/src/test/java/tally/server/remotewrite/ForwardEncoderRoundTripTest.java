package tally.server.remotewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import org.junit.jupiter.api.Test;
import tally.forward.wire.Payload;
import tally.forward.wire.ProtobufMessage;
import tally.forward.wire.RemoteWriteEncoder;
import tally.forward.wire.SendBatch;
import tally.model.Labels;
import tally.model.MetricMetadata;
import tally.model.StaleNaN;
import tally.server.testing.TestServer;

/** forward's encoders (what Tally sends) into Tally's receiver (what Tally accepts), 1.0 and 2.0. */
class ForwardEncoderRoundTripTest {
    private static HttpResponse<byte[]> send(TestServer s, RemoteWriteEncoder enc, Payload p) throws Exception {
        java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(java.net.URI.create(s.webUrl("/api/v1/write")))
                .header("Content-Type", enc.contentType()).header("Content-Encoding", "snappy")
                .header("X-Prometheus-Remote-Write-Version", enc.versionHeader())
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(p.array(), 0, p.length())).build();
        return s.client.send(req, HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void v1() throws Exception {
        roundTrip(ProtobufMessage.V1);
    }

    @Test
    void v2() throws Exception {
        roundTrip(ProtobufMessage.V2);
    }

    private void roundTrip(ProtobufMessage version) throws Exception {
        try (TestServer s = new TestServer()) {
            RemoteWriteEncoder enc = RemoteWriteEncoder.of(version);
            SendBatch b = new SendBatch();
            Map<Labels, Map<Long, Long>> sent = new HashMap<>();
            MetricMetadata counter = new MetricMetadata("counter", "Tokens used, by model.", "tokens");
            long t0 = 1_765_000_000_123L;
            for (int round = 0; round < 3; round++) {
                b.clear();
                for (int k = 0; k < 4; k++) {
                    for (int i = 0; i < 300; i++) {
                        Labels ls = Labels.of("__name__", "claude_code_token_usage_tokens_total", "model", "claude-" + (i % 3),
                                "session_id", "s-" + i, "user", "\u00e9l\u00e8ve-\u65e5\u672c-" + (i % 7), "job", "claude-code");
                        long t = t0 + (round * 4 + k) * 60_000L + i;
                        double v = (k == 3 && i % 50 == 0 && round == 2) ? StaleNaN.VALUE : i * 10.5 + round * 4 + k;
                        b.add(i, ls, counter, t, v);
                        sent.computeIfAbsent(ls, x -> new HashMap<>()).put(t, Double.doubleToRawLongBits(v));
                    }
                }
                Labels gauge = Labels.of("__name__", "up", "job", "claude-code");
                b.add(10_000, gauge, new MetricMetadata("gauge", "", ""), t0 + round * 240_000L, 1);
                sent.computeIfAbsent(gauge, x -> new HashMap<>()).put(t0 + round * 240_000L, Double.doubleToRawLongBits(1));
                Payload p = enc.encode(b);
                assertEquals(1201, p.samples());
                HttpResponse<byte[]> r = send(s, enc, p);
                assertEquals(204, r.statusCode(), new String(r.body()));
                if (version == ProtobufMessage.V2) {
                    assertEquals("1201", r.headers().firstValue(RemoteWriteHandler.SAMPLES_WRITTEN).orElseThrow());
                } else {
                    assertTrue(r.headers().firstValue(RemoteWriteHandler.SAMPLES_WRITTEN).isEmpty());
                }
            }
            if (enc.sendsMetadataSeparately()) {
                HttpResponse<byte[]> r = send(s, enc, enc.encodeMetadata(List.of(Map.entry("claude_code_token_usage_tokens_total", counter),
                        Map.entry("up", new MetricMetadata("gauge", "", "")))));
                assertEquals(204, r.statusCode(), new String(r.body()));
            }
            Map<Labels, NavigableMap<Long, Double>> stored = s.all();
            assertEquals(sent.keySet(), stored.keySet());
            for (Map.Entry<Labels, Map<Long, Long>> e : sent.entrySet()) {
                NavigableMap<Long, Double> got = stored.get(e.getKey());
                assertEquals(e.getValue().size(), got.size(), e.getKey().toString());
                for (Map.Entry<Long, Long> sample : e.getValue().entrySet()) {
                    assertEquals(sample.getValue(), Double.doubleToRawLongBits(got.get(sample.getKey())), e.getKey() + " @" + sample.getKey());
                }
            }
            assertEquals(List.of(counter), s.metadata().get("claude_code_token_usage_tokens_total"));
            assertEquals(List.of(new MetricMetadata("gauge", "", "")), s.metadata().get("up"));
        }
    }
}
