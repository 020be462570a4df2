package tally.server.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.server.testing.PromApi;
import tally.server.testing.TallyProcess;

/**
 * An alert's for state survives a restart as in Prometheus: after the group's second evaluation the active alerts
 * take their activeAt back from ALERTS_FOR_STATE. A firing alert keeps its activeAt and fires again at once; a
 * pending one with more than the grace period left keeps the time it had pending (activeAt moves on by the
 * downtime), so a `for: 10m` does not start over. Both after a clean stop and after kill -9.
 */
class RulesRestartTest {
    private static final String RULES = """
            groups:
              - name: restart
                interval: 1s
                rules:
                  - alert: PendingTenMinutes
                    expr: vector(1)
                    for: 10m
                  - alert: FiresSoon
                    expr: vector(1)
                    for: 2s
            """;

    @TempDir
    Path dir;

    @Test
    void cleanRestartRestoresForState() throws Exception {
        restartKeepsForState(false);
    }

    @Test
    void killNineRestoresForState() throws Exception {
        restartKeepsForState(true);
    }

    private void restartKeepsForState(boolean kill) throws Exception {
        Files.writeString(dir.resolve("restart.rules.yml"), RULES);
        Files.writeString(dir.resolve("prometheus.yml"), "global:\n  evaluation_interval: 1s\nrule_files: [restart.rules.yml]\n");
        List<String> flags = List.of("--config.file=" + dir.resolve("prometheus.yml"), "--rules.alert.for-grace-period=1s",
                "--storage.wal.fsync=always");
        try (TallyProcess tally = TallyProcess.start(dir.resolve("data"), List.of("-Xmx256m"), flags)) {
            PromApi api = new PromApi(tally.web(""));
            Map<String, JsonObject> before = await(api, a -> a.containsKey("FiresSoon") && state(a, "FiresSoon").equals("firing")
                    && a.containsKey("PendingTenMinutes"));
            Instant pendingSince = activeAt(before, "PendingTenMinutes");
            Instant firingSince = activeAt(before, "FiresSoon");
            while (Instant.now().isBefore(pendingSince.plusSeconds(8))) Thread.sleep(100); // pending for 8 s

            Instant down = Instant.now();
            if (kill) tally.killHard(); else tally.close();
            Thread.sleep(2000);
            tally.restart();
            Instant up = Instant.now();

            // the firing alert keeps its activeAt, as ALERTS_FOR_STATE holds it: in whole seconds (a for shorter than
            // the grace period would start over instead: hence the 1 s grace period here)
            Map<String, JsonObject> after = await(api, a -> a.containsKey("FiresSoon") && activeAt(a, "FiresSoon").equals(firingSince.truncatedTo(ChronoUnit.SECONDS))
                    && state(a, "FiresSoon").equals("firing"));
            Instant restoredPending = activeAt(after, "PendingTenMinutes");
            assertEquals("pending", state(after, "PendingTenMinutes"));
            // activeAt moved on by the downtime (from the last ALERTS_FOR_STATE sample to the restore): between
            // the outage we caused and it plus a few evaluations
            Duration moved = Duration.between(pendingSince, restoredPending);
            Duration outage = Duration.between(down, up);
            assertTrue(moved.compareTo(outage.minusSeconds(1)) >= 0 && moved.compareTo(outage.plusSeconds(6)) <= 0,
                    "activeAt moved by " + moved + " for an outage of " + outage);
            // so the time spent pending before the restart still counts: not started over
            Duration pendingNow = Duration.between(restoredPending, Instant.now());
            assertTrue(pendingNow.compareTo(Duration.ofSeconds(8)) >= 0, "pending for " + pendingNow + " after the restart");
        }
    }

    private static String state(Map<String, JsonObject> alerts, String name) {
        return alerts.get(name).get("state").getAsString();
    }

    private static Instant activeAt(Map<String, JsonObject> alerts, String name) {
        return Instant.parse(alerts.get(name).get("activeAt").getAsString());
    }

    private static Map<String, JsonObject> await(PromApi api, java.util.function.Predicate<Map<String, JsonObject>> ready) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Map<String, JsonObject> last = Map.of();
        while (System.nanoTime() < deadline) {
            PromApi.Reply r = api.get("/api/v1/alerts");
            if (r.success()) {
                Map<String, JsonObject> byName = new HashMap<>();
                for (JsonElement e : r.data().getAsJsonObject().getAsJsonArray("alerts")) {
                    JsonObject a = e.getAsJsonObject();
                    byName.put(a.getAsJsonObject("labels").get("alertname").getAsString(), a);
                }
                last = byName;
                if (ready.test(byName)) return byName;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("alerts not as expected within 30 s: " + last);
    }
}
