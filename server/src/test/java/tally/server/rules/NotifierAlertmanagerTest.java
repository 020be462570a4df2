package tally.server.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.rules.notify.AlertmanagerConfig;
import tally.rules.notify.Notifier;
import tally.rules.notify.NotifierAlert;
import tally.rules.notify.NotifierStats;
import tally.server.testing.AlertmanagerProcess;

/** The notifier alone against a real Alertmanager 0.25: exact labels, annotations, times and generatorURL arrive. */
class NotifierAlertmanagerTest {
    @TempDir
    Path dir;

    @Test
    void firingThenResolvedAsAlertmanagerSeesThem() throws Exception {
        Path binary = AlertmanagerProcess.binary();
        Assumptions.assumeTrue(binary != null, "no Alertmanager (apt-get install -y prometheus-alertmanager): skipping");
        Map<String, String> external = Map.of("cluster", "eu-1", "replica", "r1");
        try (AlertmanagerProcess am = AlertmanagerProcess.start(binary, dir); Notifier notifier = new Notifier(100, external)) {
            notifier.apply(List.of(AlertmanagerConfig.of(am.target())), external);
            Instant now = Instant.now();
            Instant startsAt = now.minusSeconds(90).plusNanos(456_789); // below a millisecond: cut, as Prometheus's JSON does
            Instant validUntil = now.plus(4, ChronoUnit.MINUTES);        // what Prometheus sends as endsAt of a firing alert
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("alertname", "TallyNotifierTest");
            labels.put("severity", "page");
            labels.put("replica", "own"); // the alert's value wins over the external label
            Map<String, String> annotations = Map.of("summary", "Disk <full> & \"more\"", "runbook", "https://example.com/rb?x=1&y=2");
            String generatorURL = "http://tally.example:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1";
            Map<String, String> expectedLabels = new TreeMap<>(Map.of("alertname", "TallyNotifierTest", "severity", "page",
                    "replica", "own", "cluster", "eu-1"));

            notifier.send(List.of(new NotifierAlert(labels, annotations, startsAt, validUntil, generatorURL)));
            JsonObject listed = awaitListed(am, 1).get(0);
            assertEquals(expectedLabels, strings(listed.getAsJsonObject("labels")));
            assertEquals(new TreeMap<>(annotations), strings(listed.getAsJsonObject("annotations")));
            assertEquals(startsAt.truncatedTo(ChronoUnit.MILLIS), Instant.parse(listed.get("startsAt").getAsString()));
            assertEquals(validUntil.truncatedTo(ChronoUnit.MILLIS), Instant.parse(listed.get("endsAt").getAsString()));
            assertEquals(generatorURL, listed.get("generatorURL").getAsString());
            assertEquals("active", listed.getAsJsonObject("status").get("state").getAsString());
            assertEquals(expectedLabels, strings(am.awaitNotification("firing", Duration.ofSeconds(10)).getAsJsonObject("labels")));

            Instant resolvedAt = Instant.now().minusMillis(500).truncatedTo(ChronoUnit.MILLIS);
            notifier.send(List.of(new NotifierAlert(labels, annotations, startsAt, resolvedAt, generatorURL)));
            awaitListed(am, 0);
            JsonObject resolved = am.awaitNotification("resolved", Duration.ofSeconds(10));
            assertEquals(expectedLabels, strings(resolved.getAsJsonObject("labels")));
            assertEquals(new TreeMap<>(annotations), strings(resolved.getAsJsonObject("annotations")));
            assertEquals(startsAt.truncatedTo(ChronoUnit.MILLIS), Instant.parse(resolved.get("startsAt").getAsString()));
            assertEquals(resolvedAt, Instant.parse(resolved.get("endsAt").getAsString()));

            NotifierStats.AlertmanagerStats s = notifier.stats().alertmanager("http://" + am.target() + "/api/v2/alerts");
            assertEquals(2, s.sentTotal());
            assertEquals(0, s.errorsTotal());
            assertEquals(0, notifier.stats().droppedTotal());
        }
    }

    static List<JsonObject> awaitListed(AlertmanagerProcess am, int n) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<JsonObject> alerts = am.alerts();
        while (alerts.size() != n && System.nanoTime() < deadline) {
            Thread.sleep(20);
            alerts = am.alerts();
        }
        assertEquals(n, alerts.size(), alerts.toString());
        return alerts;
    }

    static Map<String, String> strings(JsonObject o) {
        Map<String, String> out = new TreeMap<>();
        o.entrySet().forEach(e -> out.put(e.getKey(), e.getValue().getAsString()));
        return out;
    }
}
