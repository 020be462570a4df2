package tally.rules.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Nobody waits on a slow or unreachable Alertmanager; queues, reloads and shutdown. */
class NotifierIsolationTest {
    private final List<FakeAlertmanager> fakes = new ArrayList<>();
    private Notifier notifier;

    @AfterEach
    void tearDown() {
        if (notifier != null) notifier.close();
        for (FakeAlertmanager f : fakes) f.close();
    }

    private FakeAlertmanager fake() throws IOException {
        FakeAlertmanager f = new FakeAlertmanager();
        fakes.add(f);
        return f;
    }

    private static String url(String target) {
        return "http://" + target + "/api/v2/alerts";
    }

    private NotifierStats.AlertmanagerStats stats(String target) {
        return notifier.stats().alertmanager(url(target));
    }

    private static AlertmanagerConfig withTimeout(String target, Duration timeout) {
        return new AlertmanagerConfig(null, List.of(target), null, timeout, null, null, null);
    }

    /** A port nothing listens on: bound, then closed. */
    private static String closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return "127.0.0.1:" + s.getLocalPort();
        }
    }

    @Test
    void unreachableAndHungAlertmanagersDelayNeitherTheCallerNorTheOthers() throws Exception {
        FakeAlertmanager healthy = fake();
        FakeAlertmanager hung = fake();
        hung.hold();
        String unreachable = closedPort();
        Duration hungTimeout = Duration.ofMillis(1500);
        notifier = new Notifier(1000, Map.of());
        notifier.apply(List.of(withTimeout(hung.target(), hungTimeout), AlertmanagerConfig.of(unreachable),
                AlertmanagerConfig.of(healthy.target())), Map.of());

        long begin = System.nanoTime();
        notifier.send(Alerts.alerts("Iso", 0, 5));
        long sendMillis = (System.nanoTime() - begin) / 1_000_000;
        assertTrue(sendMillis < 500, "send() took " + sendMillis + " ms");

        hung.awaitRequests(1);
        Poll.until(() -> stats(healthy.target()).sentTotal() == 5, "healthy Alertmanager got the alerts");
        Poll.until(() -> stats(unreachable).errorsTotal() == 5, "unreachable Alertmanager counted errors");
        // Both were done while the hung one still held its request.
        assertEquals(0, stats(hung.target()).errorsTotal());
        assertEquals(0, stats(hung.target()).sentTotal());

        Poll.until(() -> stats(hung.target()).errorsTotal() == 5, "hung Alertmanager timed out");
        long timedOutMillis = (System.nanoTime() - begin) / 1_000_000;
        assertTrue(timedOutMillis >= hungTimeout.toMillis() - 50, "timed out after " + timedOutMillis + " ms");
        assertEquals(5, stats(hung.target()).droppedTotal());
        assertEquals(1, hung.requests().size()); // not retried
        assertEquals(5 + 5, notifier.stats().droppedTotal()); // hung and unreachable
        assertEquals(3, notifier.stats().alertmanagersDiscovered());
    }

    @Test
    void aFullQueueDropsTheOldestAndCountsThem() throws Exception {
        FakeAlertmanager am = fake();
        am.hold();
        notifier = new Notifier(10, Map.of());
        notifier.apply(List.of(AlertmanagerConfig.of(am.target())), Map.of());
        notifier.send(List.of(Alerts.alert("First", 0)));
        am.awaitRequests(1); // the sender now waits on this request; the rest stays queued

        notifier.send(Alerts.alerts("B", 0, 15));
        assertEquals(5, stats(am.target()).droppedTotal());
        assertEquals(10, stats(am.target()).queueLength());
        notifier.send(Alerts.alerts("C", 0, 25)); // larger than the queue: only its last 10 stay
        NotifierStats s = notifier.stats();
        assertEquals(5 + 15 + 10, s.droppedTotal());
        assertEquals(10, s.queueLength());
        assertEquals(10, s.queueCapacity());

        am.release();
        am.awaitRequests(2);
        assertEquals(Alerts.ids("C", 15, 25), Alerts.ids(am.requests().get(1).alerts()));
        Poll.until(() -> stats(am.target()).sentTotal() == 11, "11 alerts sent");
        assertEquals(0, notifier.stats().queueLength());
    }

    @Test
    void applyReplacesAlertmanagersAndExternalLabels() throws Exception {
        FakeAlertmanager a = fake();
        FakeAlertmanager b = fake();
        notifier = new Notifier(100, Map.of("env", "one"));
        notifier.apply(List.of(AlertmanagerConfig.of(a.target())), Map.of("env", "one"));
        notifier.send(List.of(Alerts.alert("Before", 0)));
        Poll.until(() -> stats(a.target()).sentTotal() == 1, "sent to a");

        notifier.apply(List.of(AlertmanagerConfig.of(b.target())), Map.of("env", "two"));
        NotifierStats s = notifier.stats();
        assertEquals(1, s.alertmanagersDiscovered());
        assertNull(s.alertmanager(url(a.target())));
        assertNotNull(s.alertmanager(url(b.target())));

        notifier.send(List.of(Alerts.alert("After", 0)));
        b.awaitRequests(1);
        assertEquals(List.of("After/0"), Alerts.ids(b.alerts()));
        assertEquals("two", ((Map<?, ?>) b.alerts().get(0).get("labels")).get("env"));
        assertEquals("one", ((Map<?, ?>) a.alerts().get(0).get("labels")).get("env"));
        assertEquals(1, a.requests().size());
        Poll.until(() -> stats(b.target()).sentTotal() == 1, "sent to b");

        notifier.apply(List.of(), Map.of());
        assertEquals(0, notifier.stats().alertmanagersDiscovered());
        notifier.send(List.of(Alerts.alert("Nowhere", 0))); // no Alertmanager: nothing queued, nothing dropped
        assertEquals(0, notifier.stats().droppedTotal());
    }

    @Test
    void anAlertmanagerThatStaysKeepsItsQueueAndTakesNewSettings() throws Exception {
        FakeAlertmanager am = fake();
        am.hold();
        notifier = new Notifier(100, Map.of());
        notifier.apply(List.of(AlertmanagerConfig.of(am.target())), Map.of());
        notifier.send(List.of(Alerts.alert("InFlight", 0)));
        am.awaitRequests(1);
        notifier.send(List.of(Alerts.alert("Queued", 0)));

        notifier.apply(List.of(new AlertmanagerConfig(null, List.of(am.target()), null, null, null, null,
                new AlertmanagerConfig.Authorization(null, "after-reload", null))), Map.of());
        assertEquals(1, stats(am.target()).queueLength());
        am.release();
        am.awaitRequests(2);
        assertEquals(List.of("Queued/0"), Alerts.ids(am.requests().get(1).alerts()));
        assertNull(am.requests().get(0).header("Authorization"));
        assertEquals("Bearer after-reload", am.requests().get(1).header("Authorization"));
        Poll.until(() -> stats(am.target()).sentTotal() == 2, "both sent");
    }

    @Test
    void removingAnAlertmanagerDropsWhatItHadQueuedAndLetsItsRequestEnd() throws Exception {
        FakeAlertmanager am = fake();
        FakeAlertmanager kept = fake();
        am.hold();
        notifier = new Notifier(100, Map.of());
        notifier.apply(List.of(AlertmanagerConfig.of(am.target(), kept.target())), Map.of());
        notifier.send(List.of(Alerts.alert("InFlight", 0)));
        am.awaitRequests(1);
        notifier.send(Alerts.alerts("Queued", 0, 3));
        kept.awaitRequests(2);

        notifier.apply(List.of(AlertmanagerConfig.of(kept.target())), Map.of());
        assertEquals(3, notifier.stats().droppedTotal()); // what was queued, at once
        assertEquals(1, notifier.stats().alertmanagersDiscovered());
        am.release(); // the request in flight ends as Prometheus lets it end: answered, not counted as dropped
        notifier.send(List.of(Alerts.alert("Later", 0)));
        kept.awaitRequests(3);
        assertEquals(1, am.requests().size());
        assertEquals(3, notifier.stats().droppedTotal());
    }

    @Test
    void closeDropsTheQueueAndDoesNotWaitForAHungAlertmanager() throws Exception {
        FakeAlertmanager am = fake();
        am.hold();
        notifier = new Notifier(100, Map.of());
        notifier.apply(List.of(AlertmanagerConfig.of(am.target())), Map.of()); // 10 s timeout
        notifier.send(List.of(Alerts.alert("InFlight", 0)));
        am.awaitRequests(1);
        notifier.send(Alerts.alerts("Queued", 0, 3));

        long begin = System.nanoTime();
        notifier.close();
        long closeMillis = (System.nanoTime() - begin) / 1_000_000;
        assertTrue(closeMillis < 2_500, "close() took " + closeMillis + " ms");
        Poll.until(() -> notifier.stats().droppedTotal() == 4, "4 alerts dropped");
        assertEquals(0, notifier.stats().alertmanagersDiscovered());

        notifier.send(List.of(Alerts.alert("AfterClose", 0))); // ignored
        notifier.apply(List.of(AlertmanagerConfig.of(am.target())), Map.of()); // ignored
        assertEquals(0, notifier.stats().alertmanagersDiscovered());
        am.release();
        assertEquals(1, am.requests().size());
    }

    @Test
    void redirectsAreFollowedAndCredentialsStayOnTheirHost() throws Exception {
        FakeAlertmanager other;
        try {
            other = new FakeAlertmanager("127.0.0.2"); // another host name for this machine
        } catch (IOException e) {
            Assumptions.assumeTrue(false, "cannot listen on 127.0.0.2: " + e);
            return;
        }
        fakes.add(other);
        FakeAlertmanager samePort = fake();
        FakeAlertmanager toOther = fake();
        FakeAlertmanager toSame = fake();
        toOther.redirectTo("http://" + other.target() + "/moved");
        toSame.redirectTo("http://" + samePort.target() + "/moved");
        notifier = new Notifier(100, Map.of());
        AlertmanagerConfig.Authorization auth = new AlertmanagerConfig.Authorization(null, "secret", null);
        notifier.apply(List.of(
                new AlertmanagerConfig(null, List.of(toOther.target(), toSame.target()), null, null, null, null, auth)), Map.of());
        notifier.send(List.of(Alerts.alert("Moved", 0)));
        other.awaitRequests(1);
        samePort.awaitRequests(1);
        // A 307 repeats the POST with its body, as Go does.
        for (FakeAlertmanager f : List.of(other, samePort)) {
            assertEquals("POST", f.requests().get(0).method());
            assertEquals("/moved", f.requests().get(0).path());
            assertEquals(List.of("Moved/0"), Alerts.ids(f.alerts()));
        }
        assertEquals("Bearer secret", toOther.requests().get(0).header("Authorization"));
        assertNull(other.requests().get(0).header("Authorization")); // another host
        assertEquals("Bearer secret", samePort.requests().get(0).header("Authorization")); // same host, other port
        Poll.until(() -> stats(toOther.target()).sentTotal() == 1 && stats(toSame.target()).sentTotal() == 1, "both sent");
    }
}
