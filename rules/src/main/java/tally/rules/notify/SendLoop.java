package tally.rules.notify;

import java.io.IOException;
import java.net.http.HttpClient;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The queue and sender thread of one Alertmanager, as Prometheus's sendLoop: every Alertmanager has its own, so a
 * slow or unreachable one delays nobody else. Alerts are posted in batches of at most {@link #MAX_BATCH_SIZE}; a
 * failed batch is counted (errors and dropped) and not retried, since the rule engine resends active alerts anyway.
 */
final class SendLoop {
    /** Prometheus's DefaultMaxBatchSize. */
    static final int MAX_BATCH_SIZE = 256;
    private static final System.Logger LOG = System.getLogger(SendLoop.class.getName());

    private final String url;
    private final HttpClient client;
    private final int capacity;
    private final LongAdder notifierDropped;
    private volatile Endpoint endpoint;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition hasWork = lock.newCondition();
    private final ArrayDeque<NotifierAlert> queue = new ArrayDeque<>();
    private boolean stopped;
    private final Thread thread;

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private double latencySum; // guarded by this
    private long latencyCount; // guarded by this

    SendLoop(Endpoint endpoint, HttpClient client, int capacity, LongAdder notifierDropped) {
        this.url = endpoint.url();
        this.endpoint = endpoint;
        this.client = client;
        this.capacity = capacity;
        this.notifierDropped = notifierDropped;
        this.thread = new Thread(this::run, "tally-notifier " + url);
        thread.setDaemon(true); // never what keeps the process alive
    }

    void start() {
        thread.start();
    }

    /** A config reload that keeps this Alertmanager's URL: new settings apply from the next batch, the queue stays. */
    void update(Endpoint newEndpoint) {
        endpoint = newEndpoint;
    }

    /** Queues alerts; when full the oldest go first, as Prometheus favours newer alerts. Never waits on the network. */
    void add(List<NotifierAlert> alerts) {
        long lost = 0;
        lock.lock();
        try {
            if (stopped) return;
            int from = Math.max(0, alerts.size() - capacity); // a batch larger than the whole queue keeps its end
            lost += from;
            int over = queue.size() + (alerts.size() - from) - capacity;
            for (int i = 0; i < over; i++) queue.pollFirst();
            lost += Math.max(0, over);
            queue.addAll(alerts.subList(from, alerts.size()));
            hasWork.signal();
        } finally {
            lock.unlock();
        }
        if (lost > 0) {
            drop(lost);
            LOG.log(System.Logger.Level.WARNING, "Alert notification queue of {0} full, dropped {1} alerts", url, lost);
        }
    }

    /**
     * Stops the thread without waiting for it: what is still queued is dropped and counted. A request in flight
     * ends as usual (bounded by the timeout), as in Prometheus, unless {@code abandon}: then it is cut short and its
     * alerts count as dropped.
     */
    void stop(boolean abandon) {
        int left;
        lock.lock();
        try {
            if (stopped) return;
            stopped = true;
            left = queue.size();
            queue.clear();
            hasWork.signalAll();
        } finally {
            lock.unlock();
        }
        if (abandon) thread.interrupt();
        if (left > 0) {
            drop(left);
            LOG.log(System.Logger.Level.WARNING, "Alert notification queue of {0} not drained on stop, dropped {1} alerts", url, left);
        }
    }

    void join(long millis) throws InterruptedException {
        thread.join(Math.max(1, millis));
    }

    NotifierStats.AlertmanagerStats stats() {
        int length;
        lock.lock();
        try {
            length = queue.size();
        } finally {
            lock.unlock();
        }
        synchronized (this) {
            return new NotifierStats.AlertmanagerStats(url, sent.get(), errors.get(), dropped.get(), length,
                    latencySum, latencyCount);
        }
    }

    private void run() {
        while (true) {
            List<NotifierAlert> batch;
            lock.lock();
            try {
                while (queue.isEmpty() && !stopped) hasWork.await();
                if (stopped) return;
                batch = new ArrayList<>(Math.min(queue.size(), MAX_BATCH_SIZE));
                while (batch.size() < MAX_BATCH_SIZE && !queue.isEmpty()) batch.add(queue.pollFirst());
            } catch (InterruptedException e) {
                return; // only stop(true) interrupts
            } finally {
                lock.unlock();
            }
            sendBatch(batch);
        }
    }

    private void sendBatch(List<NotifierAlert> batch) {
        long begin = System.nanoTime();
        Endpoint ep = endpoint;
        try {
            AlertPost.post(client, ep, AlertsJson.encode(batch), begin);
        } catch (InterruptedException e) {
            drop(batch.size()); // stopping: neither sent nor an Alertmanager error
            Thread.currentThread().interrupt();
            return;
        } catch (IOException | RuntimeException e) {
            errors.addAndGet(batch.size()); // Prometheus counts the alerts affected, not the requests
            drop(batch.size());
            LOG.log(System.Logger.Level.WARNING, "Error sending {0} alerts to {1}: {2}", batch.size(), url, describe(e));
            return;
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        synchronized (this) {
            latencySum += seconds;
            latencyCount++;
        }
        sent.addAndGet(batch.size());
    }

    /** The exception with the first message found down its causes: Java's ConnectException often has none. */
    private static String describe(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c.getMessage() != null) return e.getClass().getSimpleName() + ": " + c.getMessage();
        }
        return e.getClass().getSimpleName();
    }

    private void drop(long n) {
        dropped.addAndGet(n);
        notifierDropped.add(n);
    }
}
