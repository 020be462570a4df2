package tally.rules.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What reaches an Alertmanager, and how: batches, the request, external labels, auth, errors. */
class NotifierDeliveryTest {
    private final FakeAlertmanager am = newFake();
    private Notifier notifier;

    @TempDir
    Path dir;

    private static FakeAlertmanager newFake() {
        try {
            return new FakeAlertmanager();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterEach
    void tearDown() {
        if (notifier != null) notifier.close();
        am.close();
    }

    private Notifier notifier(AlertmanagerConfig... configs) {
        notifier = new Notifier(10_000, Map.of());
        notifier.apply(List.of(configs), Map.of());
        return notifier;
    }

    private String url() {
        return "http://" + am.target() + "/api/v2/alerts";
    }

    private NotifierStats.AlertmanagerStats stats() {
        return notifier.stats().alertmanager(url());
    }

    @Test
    void sendsEveryAlertInOrderInBatchesOfAtMost256() {
        notifier(AlertmanagerConfig.of(am.target()));
        notifier.send(Alerts.alerts("Batch", 0, 600));
        am.awaitRequests(3);
        Poll.until(() -> stats().sentTotal() == 600, "600 alerts counted as sent");
        assertEquals(List.of(256, 256, 88), am.requests().stream().map(r -> r.alerts().size()).toList());
        assertEquals(Alerts.ids("Batch", 0, 600), Alerts.ids(am.alerts()));
        NotifierStats.AlertmanagerStats s = stats();
        assertEquals(0, s.errorsTotal());
        assertEquals(0, s.droppedTotal());
        assertEquals(0, s.queueLength());
        assertEquals(3, s.latencySecondsCount());
        NotifierStats all = notifier.stats();
        assertEquals(1, all.alertmanagersDiscovered());
        assertEquals(10_000, all.queueCapacity());
        assertEquals(0, all.droppedTotal());
        assertEquals(0, all.queueLength());
    }

    @Test
    void postsJsonToTheV2ApiWithOurUserAgent() {
        notifier(AlertmanagerConfig.of(am.target()));
        NotifierAlert a = Alerts.alert("Shape", 1);
        notifier.send(List.of(a));
        am.awaitRequests(1);
        FakeAlertmanager.Request r = am.requests().get(0);
        assertEquals("POST", r.method());
        assertEquals("/api/v2/alerts", r.path());
        assertEquals("application/json", r.header("Content-Type"));
        assertEquals("Tally/0.1.0", r.header("User-Agent"));
        assertNull(r.header("Authorization"));
        assertEquals(new String(AlertsJson.encode(List.of(a)), StandardCharsets.UTF_8), r.body());
    }

    @Test
    void pathPrefixComesBeforeTheApiPath() {
        notifier(new AlertmanagerConfig(null, List.of(am.target()), "/alertmanager/", null, null, null, null));
        notifier.send(List.of(Alerts.alert("Prefix", 0)));
        am.awaitRequests(1);
        assertEquals("/alertmanager/api/v2/alerts", am.requests().get(0).path());
        String url = "http://" + am.target() + "/alertmanager/api/v2/alerts";
        Poll.until(() -> notifier.stats().alertmanager(url) != null && notifier.stats().alertmanager(url).sentTotal() == 1,
                "sent counted under " + url);
    }

    @Test
    @SuppressWarnings("unchecked")
    void externalLabelsAreAddedWhereTheAlertLacksThem() {
        notifier = new Notifier(100, Map.of("cluster", "eu-1", "team", "infra", "replica", "a"));
        notifier.apply(List.of(AlertmanagerConfig.of(am.target())), Map.of("cluster", "eu-1", "team", "infra", "replica", "a"));
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", "Ext");
        labels.put("team", "db");   // the alert's own value wins
        labels.put("replica", "");  // empty is absent
        notifier.send(List.of(new NotifierAlert(labels, Map.of(), Alerts.STARTS, null, null)));
        am.awaitRequests(1);
        assertEquals(Map.of("alertname", "Ext", "team", "db", "replica", "a", "cluster", "eu-1"),
                am.alerts().get(0).get("labels"));
    }

    @Test
    void anErrorAnswerIsCountedAndNotRetried() {
        am.answer(500);
        notifier(AlertmanagerConfig.of(am.target()));
        notifier.send(Alerts.alerts("Fail", 0, 3));
        Poll.until(() -> stats().errorsTotal() == 3, "3 alerts counted in errors");
        assertEquals(3, stats().droppedTotal());
        assertEquals(3, notifier.stats().droppedTotal());
        assertEquals(0, stats().sentTotal());
        assertEquals(0, stats().latencySecondsCount()); // latency is observed for successful sends only

        am.answer(202); // any 2xx
        notifier.send(List.of(Alerts.alert("Next", 0)));
        am.awaitRequests(2);
        Poll.until(() -> stats().sentTotal() == 1, "the next alert sent");
        assertEquals(2, am.requests().size());
        assertEquals(List.of("Next/0"), Alerts.ids(am.requests().get(1).alerts()));
        assertEquals(3, stats().errorsTotal());
    }

    @Test
    void basicAuthWithPassword() {
        notifier(new AlertmanagerConfig(null, List.of(am.target()), null, null, null,
                new AlertmanagerConfig.BasicAuth("alice", "s3cr:t é", null), null));
        notifier.send(List.of(Alerts.alert("Basic", 0)));
        am.awaitRequests(1);
        assertEquals(basic("alice", "s3cr:t é"), am.requests().get(0).header("Authorization"));
    }

    @Test
    void basicAuthPasswordFileIsReadAtEachRequest() throws Exception {
        Path file = dir.resolve("password");
        Files.writeString(file, "first\n");
        notifier(new AlertmanagerConfig(null, List.of(am.target()), null, null, null,
                new AlertmanagerConfig.BasicAuth("bob", null, file), null));
        notifier.send(List.of(Alerts.alert("File", 0)));
        am.awaitRequests(1);
        Files.writeString(file, "  rotated \n");
        notifier.send(List.of(Alerts.alert("File", 1)));
        am.awaitRequests(2);
        assertEquals(basic("bob", "first"), am.requests().get(0).header("Authorization"));
        assertEquals(basic("bob", "rotated"), am.requests().get(1).header("Authorization"));
    }

    @Test
    void bearerCredentials() {
        notifier(new AlertmanagerConfig(null, List.of(am.target()), null, null, null, null,
                new AlertmanagerConfig.Authorization(null, "t0ken", null)));
        notifier.send(List.of(Alerts.alert("Bearer", 0)));
        am.awaitRequests(1);
        assertEquals("Bearer t0ken", am.requests().get(0).header("Authorization"));
    }

    @Test
    void authorizationCredentialsFileIsReadAtEachRequest() throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "one\n");
        notifier(new AlertmanagerConfig(null, List.of(am.target()), null, null, null, null,
                new AlertmanagerConfig.Authorization("Custom", null, file)));
        notifier.send(List.of(Alerts.alert("Token", 0)));
        am.awaitRequests(1);
        Files.writeString(file, "two");
        notifier.send(List.of(Alerts.alert("Token", 1)));
        am.awaitRequests(2);
        assertEquals("Custom one", am.requests().get(0).header("Authorization"));
        assertEquals("Custom two", am.requests().get(1).header("Authorization"));
    }

    @Test
    void anUnreadableCredentialsFileIsASendError() {
        notifier(new AlertmanagerConfig(null, List.of(am.target()), null, null, null, null,
                new AlertmanagerConfig.Authorization(null, null, dir.resolve("missing"))));
        notifier.send(Alerts.alerts("NoFile", 0, 2));
        Poll.until(() -> stats().errorsTotal() == 2, "2 alerts counted in errors");
        assertEquals(0, am.requests().size()); // nothing goes out without its credentials
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
