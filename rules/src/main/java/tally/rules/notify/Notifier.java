package tally.rules.notify;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Sends alerts to Alertmanagers through their v2 API, as Prometheus's notifier manager: external labels are added
 * where an alert lacks them, and every Alertmanager gets every alert through its own queue and sender thread, so no
 * caller and no other Alertmanager ever waits on a slow or unreachable one.
 */
public final class Notifier implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Notifier.class.getName());
    /** How long close() waits for the sender threads, which it has interrupted, to end. */
    private static final long CLOSE_WAIT_MILLIS = 2_000;

    private final int queueCapacity;
    private final HttpClient client;
    private final LongAdder dropped = new LongAdder();

    // send() takes the read lock and only touches memory; apply() and close() swap state under the write lock.
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private Map<String, String> externalLabels;
    private Map<String, SendLoop> loops = new LinkedHashMap<>(); // by URL
    private boolean closed;

    /** queueCapacity: alerts held at most per Alertmanager (Prometheus's --alertmanager.notification-queue-capacity, 10000). */
    public Notifier(int queueCapacity, Map<String, String> externalLabels) {
        if (queueCapacity <= 0) throw new IllegalArgumentException("queue capacity must be positive: " + queueCapacity);
        this.queueCapacity = queueCapacity;
        this.externalLabels = copy(externalLabels);
        // One client for all: connections are per host anyway. Redirects are followed by AlertPost, since Java's
        // own following would carry the Authorization header to another host.
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * Replaces the Alertmanagers and external labels (config reload). An Alertmanager whose URL stays keeps its
     * queue and takes the new settings from its next request; one that is gone is stopped, what it still had
     * queued is counted as dropped, and its request in flight, if any, ends on its own. A URL listed twice is used once, with the settings of its first entry.
     */
    public void apply(List<AlertmanagerConfig> configs, Map<String, String> externalLabels) {
        Map<String, Endpoint> wanted = new LinkedHashMap<>();
        for (AlertmanagerConfig c : configs) {
            for (Endpoint ep : Endpoint.of(c)) {
                if (wanted.putIfAbsent(ep.url(), ep) != null) {
                    LOG.log(System.Logger.Level.WARNING, "Alertmanager {0} is configured more than once, using its first entry", ep.url());
                }
            }
        }
        lock.writeLock().lock();
        try {
            if (closed) return;
            this.externalLabels = copy(externalLabels);
            Map<String, SendLoop> next = new LinkedHashMap<>();
            for (Endpoint ep : wanted.values()) {
                SendLoop loop = loops.remove(ep.url());
                if (loop != null) {
                    loop.update(ep);
                } else {
                    loop = new SendLoop(ep, client, queueCapacity, dropped);
                    loop.start();
                }
                next.put(ep.url(), loop);
            }
            for (SendLoop gone : loops.values()) gone.stop(false);
            loops = next;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Queues alerts for every Alertmanager; never blocks on the network. A full queue drops its oldest alerts (counted). */
    public void send(List<NotifierAlert> alerts) {
        if (alerts == null || alerts.isEmpty()) return;
        lock.readLock().lock();
        try {
            if (closed || loops.isEmpty()) return;
            List<NotifierAlert> labelled = ExternalLabels.add(alerts, externalLabels);
            for (SendLoop loop : loops.values()) loop.add(labelled);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The counters and gauges for /metrics, named after Prometheus's (see {@link NotifierStats}). */
    public NotifierStats stats() {
        List<NotifierStats.AlertmanagerStats> per = new ArrayList<>();
        lock.readLock().lock();
        try {
            for (SendLoop loop : loops.values()) per.add(loop.stats());
        } finally {
            lock.readLock().unlock();
        }
        long queued = 0;
        for (NotifierStats.AlertmanagerStats s : per) queued += s.queueLength();
        return new NotifierStats(dropped.sum(), queued, queueCapacity, per.size(), per);
    }

    /**
     * Stops the sender threads: what is still queued is dropped and counted, requests in flight are abandoned.
     * Waits a bounded time for the threads; later calls to send() and apply() do nothing.
     */
    @Override
    public void close() {
        List<SendLoop> stopped;
        lock.writeLock().lock();
        try {
            if (closed) return;
            closed = true;
            stopped = new ArrayList<>(loops.values());
            for (SendLoop loop : stopped) loop.stop(true);
            loops = new LinkedHashMap<>();
        } finally {
            lock.writeLock().unlock();
        }
        long deadline = System.currentTimeMillis() + CLOSE_WAIT_MILLIS;
        try {
            for (SendLoop loop : stopped) loop.join(deadline - System.currentTimeMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, String> copy(Map<String, String> m) {
        return m == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }
}
