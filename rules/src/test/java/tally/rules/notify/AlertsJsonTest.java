package tally.rules.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertsJsonTest {

    private static String encode(NotifierAlert... alerts) {
        return new String(AlertsJson.encode(List.of(alerts)), StandardCharsets.UTF_8);
    }

    @Test
    void writesWhatPrometheusWritesForAFullAlert() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("job", "api");
        labels.put("alertname", "HighLatency");
        labels.put("instance", "a<b>&c");
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("summary", "p99 \"high\"\n");
        annotations.put("description", "ok");
        NotifierAlert a = new NotifierAlert(labels, annotations, Alerts.STARTS, Alerts.ENDS,
                "http://tally:9090/graph?g0.expr=up&g0.tab=1");
        // Go's encoding of Alertmanager's PostableAlert: this key order, sorted label names, HTML-safe escapes,
        // strfmt.DateTime times with exactly three fractional digits.
        assertEquals("[{\"annotations\":{\"description\":\"ok\",\"summary\":\"p99 \\\"high\\\"\\n\"},"
                + "\"endsAt\":\"2026-12-07T05:34:00.500Z\",\"startsAt\":\"2026-12-07T05:30:00.123Z\","
                + "\"generatorURL\":\"http://tally:9090/graph?g0.expr=up\\u0026g0.tab=1\","
                + "\"labels\":{\"alertname\":\"HighLatency\",\"instance\":\"a\\u003cb\\u003e\\u0026c\",\"job\":\"api\"}}]",
                encode(a));
    }

    @Test
    void leavesOutWhatIsNotSet() {
        NotifierAlert noEnd = new NotifierAlert(Map.of("alertname", "X"), Map.of(), Alerts.STARTS, null, null);
        NotifierAlert bare = new NotifierAlert(Map.of(), null, null, null, "");
        assertEquals("[{\"startsAt\":\"2026-12-07T05:30:00.123Z\",\"labels\":{\"alertname\":\"X\"}},{\"labels\":{}}]",
                encode(noEnd, bare));
        assertEquals("[]", encode());
    }

    @Test
    void timesAreUtcMillisecondsTruncated() {
        assertEquals("2026-12-07T05:30:00.000Z", AlertsJson.time(Instant.parse("2026-12-07T05:30:00Z")));
        assertEquals("2026-12-07T05:30:00.999Z", AlertsJson.time(Instant.parse("2026-12-07T05:30:00.999999999Z")));
        assertEquals("1969-12-31T23:59:59.999Z", AlertsJson.time(Instant.ofEpochSecond(-1, 999_999_999)));
        assertEquals("1970-01-01T00:00:00.000Z", AlertsJson.time(Instant.EPOCH));
    }

    @Test
    void escapesStringsAsGo() {
        StringBuilder b = new StringBuilder();
        AlertsJson.string(b, "tab\tcr\rbs\\ \u0001 \b\f \u2028\u2029 é 😀 lone\ud800 end");
        assertEquals("\"tab\\tcr\\rbs\\\\ \\u0001 \\b\\f \\u2028\\u2029 é 😀 lone\ufffd end\"", b.toString());
    }

    @Test
    void bodyReadsBackAsTheAlerts() {
        NotifierAlert a = new NotifierAlert(Map.of("alertname", "Q\"uote", "x", "<y>"), Map.of("d", "multi\nline"),
                Alerts.STARTS, Alerts.ENDS, "http://h/?a=1&b=2");
        Map<String, Object> read = Json.parseArrayOfObjects(encode(a)).get(0);
        assertEquals(Map.of("alertname", "Q\"uote", "x", "<y>"), read.get("labels"));
        assertEquals(Map.of("d", "multi\nline"), read.get("annotations"));
        assertEquals("http://h/?a=1&b=2", read.get("generatorURL"));
        assertEquals(Alerts.STARTS.toEpochMilli(), Instant.parse((String) read.get("startsAt")).toEpochMilli());
    }
}
