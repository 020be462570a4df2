package tally.server.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.model.Appender;
import tally.model.Labels;
import tally.server.config.Flags;
import tally.server.config.ServerConfig;
import tally.server.testing.AlertmanagerProcess;
import tally.server.testing.PromApi;
import tally.server.testing.TestServer;

/**
 * From data to a person's inbox: a rule fires, Tally sends the alert to a real Alertmanager (configured in
 * prometheus.yml's alerting section), which holds it with Prometheus's startsAt/endsAt and notifies; when the data
 * drops, the resolution arrives with endsAt at the resolving evaluation.
 */
class RulesAlertmanagerTest {
    @TempDir
    Path dir;

    @Test
    void firingAndResolvedReachAlertmanager() throws Exception {
        Path binary = AlertmanagerProcess.binary();
        Assumptions.assumeTrue(binary != null, "no Alertmanager (apt-get install -y prometheus-alertmanager): skipping");
        try (AlertmanagerProcess am = AlertmanagerProcess.start(binary, dir)) {
            Files.writeString(dir.resolve("cost.rules.yml"), """
                    groups:
                      - name: cost
                        interval: 1s
                        rules:
                          - alert: HighCost
                            expr: cost_usd_per_hour > 10
                            labels:
                              severity: warning
                            annotations:
                              summary: '{{ $labels.user }} spends {{ $value }} USD per hour'
                    """);
            Files.writeString(dir.resolve("prometheus.yml"), """
                    global:
                      evaluation_interval: 1s
                      external_labels:
                        cluster: test
                    rule_files: [cost.rules.yml]
                    alerting:
                      alertmanagers:
                        - static_configs:
                            - targets: ['%s']
                    """.formatted(am.target()));
            ServerConfig parsed = Flags.parse(List.of("--config.file=" + dir.resolve("prometheus.yml"),
                    "--web.external-url=http://tally.test:9090"));
            try (TestServer tally = new TestServer(c -> {
                c.configFile = parsed.configFile;
                c.rules = parsed.rules;
                c.externalUrl = parsed.externalUrl;
            })) {
                Labels series = Labels.of("__name__", "cost_usd_per_hour", "user", "alice");
                append(tally, series, 25);
                JsonObject held = NotifierAlertmanagerTest.awaitListed(am, 1).get(0);
                assertEquals(Map.of("alertname", "HighCost", "severity", "warning", "user", "alice", "cluster", "test"),
                        NotifierAlertmanagerTest.strings(held.getAsJsonObject("labels")));
                assertEquals("alice spends 25 USD per hour", held.getAsJsonObject("annotations").get("summary").getAsString());
                assertEquals("http://tally.test:9090/graph?g0.expr=" + URLEncoder.encode("cost_usd_per_hour > 10", StandardCharsets.UTF_8)
                        + "&g0.tab=1", held.get("generatorURL").getAsString());
                // startsAt is when it fired (for: 0: its first evaluation), endsAt that plus 4 x max(interval, resend delay 1m)
                JsonObject firing = new PromApi(tally.webUrl("")).get("/api/v1/alerts").data().getAsJsonObject()
                        .getAsJsonArray("alerts").get(0).getAsJsonObject();
                Instant startsAt = Instant.parse(held.get("startsAt").getAsString());
                assertEquals(Instant.parse(firing.get("activeAt").getAsString()), startsAt);
                assertEquals(startsAt.plus(Duration.ofMinutes(4)), Instant.parse(held.get("endsAt").getAsString()));
                am.awaitNotification("firing", Duration.ofSeconds(10));

                append(tally, series, 3);
                JsonObject resolved = am.awaitNotification("resolved", Duration.ofSeconds(15));
                assertEquals(startsAt, Instant.parse(resolved.get("startsAt").getAsString()));
                Instant endsAt = Instant.parse(resolved.get("endsAt").getAsString());
                assertTrue(endsAt.isAfter(startsAt) && endsAt.isBefore(Instant.now()), "endsAt is the resolving evaluation: " + endsAt);
                NotifierAlertmanagerTest.awaitListed(am, 0);
                String metrics = tally.get(tally.webUrl("/metrics")).body();
                assertTrue(metrics.contains("prometheus_notifications_sent_total{alertmanager=\"http://" + am.target() + "/api/v2/alerts\"}"),
                        metrics);
                assertTrue(metrics.contains("prometheus_notifications_alertmanagers_discovered 1"), metrics);
            }
        }
    }

    private static void append(TestServer s, Labels l, double v) throws Exception {
        Appender a = s.storage.appender();
        a.append(0, l, System.currentTimeMillis(), v);
        a.commit();
    }
}
