package tally.bench.soak;

import java.util.ArrayDeque;
import java.util.List;

/**
 * Sends the exports of one transport's users, each user's in order, like an OpenTelemetry exporter or a
 * Prometheus remote-write queue: an export that got no acknowledgement is sent again later with identical
 * content (after 1, 2, 4 s...), an acknowledged one never; after 20 queued exports the oldest is dropped.
 */
final class Writer extends Thread {
    private static final int MAX_QUEUED = 20;

    /** One export: its body and what it acknowledges. */
    private record Pending(byte[] body, List<SoakUser.Point> points, List<SoakUser.Event> events, int samples) {}

    private static final class UserState {
        final SoakUser user;
        long nextExport;
        long nextTry;
        int attempt;
        final ArrayDeque<Pending> queue = new ArrayDeque<>();

        UserState(SoakUser user, long nextExport) {
            this.user = user;
            this.nextExport = nextExport;
        }
    }

    private final Transport transport;
    private final List<UserState> users;
    private final Sender sender;
    private final Timeline timeline;
    private final Ledger ledger;
    private final long intervalMs;
    private volatile boolean generating = true;
    private volatile boolean running = true;
    long generatedSamples;

    Writer(Transport transport, List<SoakUser> users, Sender sender, Timeline timeline, Ledger ledger, long intervalMs, long startMs) {
        super("soak-writer-" + transport.key());
        setDaemon(true);
        this.transport = transport;
        this.users = users.stream().map(u -> new UserState(u, startMs + u.phaseMs)).toList();
        this.sender = sender;
        this.timeline = timeline;
        this.ledger = ledger;
        this.intervalMs = intervalMs;
    }

    /** No new exports from now; queued ones are still sent. */
    void stopGenerating() {
        generating = false;
    }

    int queued() {
        int n = 0;
        for (UserState u : users) n += u.queue.size();
        return n;
    }

    void shutdown() {
        running = false;
    }

    @Override
    public void run() {
        try {
            while (running) {
                boolean worked = false;
                for (UserState u : users) {
                    long now = System.currentTimeMillis();
                    if (generating && now >= u.nextExport) {
                        u.queue.add(export(u.user, u.nextExport));
                        u.nextExport += intervalMs;
                        if (u.queue.size() > MAX_QUEUED) {
                            u.queue.poll();
                            u.attempt = 0;
                            timeline.droppedRequests.incrementAndGet();
                        }
                    }
                    while (!u.queue.isEmpty() && now >= u.nextTry) {
                        worked = true;
                        if (!sendHead(u)) break;
                        now = System.currentTimeMillis();
                    }
                }
                if (!worked) Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            e.printStackTrace();
        } finally {
            sender.close();
        }
    }

    private Pending export(SoakUser user, long t) throws Exception {
        if (transport == Transport.OTLP_LOGS) {
            List<SoakUser.Event> events = user.eventsExport(t, intervalMs);
            return new Pending(Encoders.otlpLogs(user, events), List.of(), events, events.size());
        }
        List<SoakUser.Point> points = user.metricsExport(t);
        byte[] body = switch (transport) {
            case REMOTE_WRITE -> Encoders.remoteWrite(points);
            case OTLP_HTTP -> Encoders.otlpMetrics(points, true);
            default -> Encoders.otlpMetrics(points, false);
        };
        generatedSamples += points.size();
        return new Pending(body, points, List.of(), points.size());
    }

    /** True when the head was settled (acknowledged or given up), false when it waits for a retry. */
    private boolean sendHead(UserState u) throws InterruptedException {
        Pending p = u.queue.peek();
        long sent = System.currentTimeMillis();
        Outcome o = sender.send(p.body());
        long now = System.currentTimeMillis();
        if (o.acked()) {
            for (SoakUser.Point pt : p.points()) pt.series().ack(pt.t(), pt.value());
            for (SoakUser.Event e : p.events()) e.counts().ack(e.t(), 1);
            ledger.ackedSamples.get(transport).addAndGet(p.samples());
            ledger.ackedRequests.get(transport).incrementAndGet();
            timeline.acked(transport, sent, now);
        } else if (o.answered2xx()) {
            // partial_success: which points were refused is not said, so none of this export counts as acknowledged
            timeline.partialRequests.incrementAndGet();
            timeline.partialPoints.addAndGet(o.rejected());
            timeline.failure(transport, u.attempt, o);
        } else {
            timeline.failure(transport, u.attempt, o);
            if (o.retryable()) {
                u.attempt++;
                u.nextTry = now + Math.min(8_000, 1_000L << Math.min(3, u.attempt - 1));
                return false;
            }
        }
        u.queue.poll();
        u.attempt = 0;
        return true;
    }
}
