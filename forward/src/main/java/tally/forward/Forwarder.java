package tally.forward;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import tally.forward.relabel.Relabeler;
import tally.forward.wire.Payload;
import tally.forward.wire.ProtobufMessage;
import tally.forward.wire.RemoteWriteEncoder;
import tally.model.Labels;
import tally.model.LabelsBuilder;
import tally.model.MetricMetadata;
import tally.storage.wal.WalHolds;
import tally.storage.wal.WalPosition;
import tally.storage.wal.WalTailer;

/**
 * Forwards Tally's WAL to one remote-write target. One reader thread tails the WAL from the position the target
 * last acknowledged, turns WAL series into the labels the target gets (external labels, then write relabeling) and
 * hands each sample to the shard of its series. Shards send (see {@link Shard}). Five times a second the reader works out
 * the acknowledged position (the oldest sample still queued in any shard, or everything read when none is), saves
 * it ({@link PositionFile}) and moves its WAL hold there. After a restart the target gets everything from the saved
 * position on: at least once; what is sent twice is what the target acknowledged in the last 200 ms before the
 * stop, plus the batches in flight at that moment.
 */
public final class Forwarder implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Forwarder.class.getName());
    private static final long IDLE_POLL_MILLIS = 50;
    private static final long SAVE_EVERY_MILLIS = 200;
    private static final long RESHARD_EVERY_MILLIS = 10_000;
    private static final long ERROR_LOG_EVERY_MILLIS = 10_000;
    private static final long METADATA_REFRESH_MILLIS = 10_000;
    private static final long METADATA_MISS_REFRESH_MILLIS = 1_000;

    private final RemoteWriteConfig cfg;
    private final Map<String, String> externalLabels;
    private final Relabeler relabeler;
    private final WalSource wal;
    private final WalHolds.Hold hold;
    private final PositionFile positionFile;
    private final Supplier<Map<String, List<MetricMetadata>>> metadata;
    private final ForwardStats stats = new ForwardStats();
    private final HttpSender sender;
    private final SeriesTable series = new SeriesTable();
    private final StringPool strings = new StringPool();
    private final Thread reader;
    private final long ageLimitMillis;

    private volatile boolean v2;
    private volatile boolean stopping;
    private volatile Shard[] shards = new Shard[0];
    private volatile Thread[] shardThreads = new Thread[0];
    private volatile Map<String, List<MetricMetadata>> metadataSnapshot = Map.of();
    private volatile long lastMetadataRefresh;
    private final RemoteWriteEncoder metadataEncoder = RemoteWriteEncoder.of(ProtobufMessage.V1); // reader thread only

    // reader thread only
    private WalTailer tailer;
    private long recordStart;
    private long lastRead;
    private long savedPosition = -1;
    private long lastErrorLog;
    private long samplesAtLastReshard;
    private long sentAtLastReshard;

    public Forwarder(RemoteWriteConfig cfg, Map<String, String> externalLabels, WalSource wal, WalHolds.Hold hold, Path stateDir,
                     Supplier<Map<String, List<MetricMetadata>>> metadata) {
        this.cfg = cfg;
        this.externalLabels = Map.copyOf(externalLabels);
        this.relabeler = new Relabeler(cfg.writeRelabelConfigs());
        this.wal = wal;
        this.hold = hold;
        this.positionFile = new PositionFile(stateDir, cfg.url().toString());
        this.metadata = metadata;
        this.sender = new HttpSender(cfg);
        this.v2 = cfg.protobufMessage() == ProtobufMessage.V2;
        this.ageLimitMillis = cfg.queue().sampleAgeLimit().toMillis();
        stats.protocol = v2 ? "2.0" : "1.0";
        this.reader = new Thread(this::readLoop, "tally-remote-write-" + cfg.name());
        reader.setDaemon(true);
    }

    public String name() { return cfg.name(); }

    public RemoteWriteConfig config() { return cfg; }

    public ForwardStats stats() { return stats; }

    /** Series write relabeling dropped because a regex used up its work budget (rather than sending what a rule meant to remove). */
    public long relabelOverBudget() { return relabeler.overBudget(); }

    /** The position a target resumes from: saved, or (new target, or a saved one the WAL no longer has) the WAL's end. */
    public void start() throws IOException {
        WalPosition committed = wal.committed();
        WalPosition start = positionFile.load();
        if (start == null) {
            start = committed;
            LOG.log(Level.INFO, "remote-write {0}: new target {1}, sending from the end of the WAL ({2})", cfg.name(), cfg.url(), start);
        } else if (start.compareTo(committed) > 0) {
            LOG.log(Level.WARNING, "remote-write {0}: saved position {1} is past the end of the WAL ({2}); starting at the end",
                    cfg.name(), start, committed);
            start = committed;
        } else {
            LOG.log(Level.INFO, "remote-write {0}: resuming {1} at WAL position {2}", cfg.name(), cfg.url(), start);
        }
        hold.advance(start.segment());
        recordStart = start.pack();
        lastRead = recordStart;
        stats.acknowledgedPosition = start.toString();
        tailer = wal.tail(start, new Reading());
        refreshMetadata();
        startShards(cfg.queue().minShards());
        reader.start();
    }

    // ---- the reader thread ----

    private void readLoop() {
        long lastSave = 0, lastReshard = System.currentTimeMillis(), lastMetadata = 0, lastRefresh = System.currentTimeMillis();
        while (!stopping) {
            try {
                long n = tailer.poll();
                long now = System.currentTimeMillis();
                if (now - lastSave >= SAVE_EVERY_MILLIS) {
                    saveAcknowledged();
                    lastSave = now;
                }
                if (now - lastReshard >= RESHARD_EVERY_MILLIS) {
                    maybeReshard();
                    lastReshard = now;
                }
                if (v2 && now - lastRefresh >= METADATA_REFRESH_MILLIS) { // 2.0 sends it with each series: keep it current
                    refreshMetadata();
                    lastRefresh = now;
                }
                if (!v2 && cfg.metadata().send() && now - lastMetadata >= cfg.metadata().sendInterval().toMillis()) {
                    refreshMetadata();
                    sendMetadata();
                    lastMetadata = now;
                }
                if (n == 0) Thread.sleep(IDLE_POLL_MILLIS);
            } catch (InterruptedException e) {
                if (stopping) break;
            } catch (IOException | RuntimeException e) {
                if (stopping) break; // a queue refused a sample because the shards are stopping
                error("reading the WAL: " + e);
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    if (stopping) break;
                }
            }
        }
    }

    /** Receives the WAL for this target. */
    private final class Reading implements WalTailer.Handler {
        @Override
        public void series(long id, Labels labels) {
            Labels out = relabeler.apply(withExternalLabels(shared(labels)));
            series.put(id, out == null || out.isEmpty() ? SeriesRef.DROPPED : new SeriesRef(id, out));
        }

        @Override
        public void retired(long id) {
            series.remove(id);
        }

        @Override
        public void sample(long id, long t, double v) {
            SeriesRef ref = series.get(id);
            if (ref == null) {
                stats.samplesUnknownSeries.increment();
                return;
            }
            if (ref == SeriesRef.DROPPED) {
                stats.samplesDropped.increment();
                return;
            }
            if (ageLimitMillis > 0 && t < System.currentTimeMillis() - ageLimitMillis) {
                stats.samplesTooOld.increment();
                return;
            }
            ForwardStats.max(stats.highestReadMillis, t);
            Shard[] s = shards;
            try {
                if (!s[ref.hash % s.length].offer(ref, t, Double.doubleToRawLongBits(v), recordStart)) {
                    throw new IllegalStateException("stopping");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while queueing", e);
            }
        }

        @Override
        public void recordEnd(long packedPosition) {
            recordStart = packedPosition;
            lastRead = packedPosition;
        }

        @Override
        public void gap(WalPosition from, WalPosition to, String why) {
            stats.walGaps.increment();
            error("part of the WAL this target needed is gone (" + from + " to " + to + ": " + why + "); its samples are not sent");
        }
    }

    private Labels shared(Labels labels) {
        String[] kv = new String[labels.size() * 2];
        for (int i = 0; i < labels.size(); i++) {
            kv[2 * i] = strings.intern(labels.name(i));
            kv[2 * i + 1] = strings.intern(labels.value(i));
        }
        return Labels.wrapSorted(kv);
    }

    private Labels withExternalLabels(Labels labels) {
        if (externalLabels.isEmpty()) return labels;
        LabelsBuilder b = null;
        for (Map.Entry<String, String> e : externalLabels.entrySet()) {
            if (labels.has(e.getKey())) continue; // a series' own label wins, as in Prometheus
            if (b == null) b = labels.toBuilder();
            b.set(e.getKey(), e.getValue());
        }
        return b == null ? labels : b.build();
    }

    /** Everything before the oldest sample still queued (or everything read) is acknowledged: save it. */
    private void saveAcknowledged() {
        long acked = lastRead;
        long pending = 0;
        for (Shard s : shards) {
            acked = Math.min(acked, s.oldestPending());
            pending += s.pending();
        }
        stats.pending = pending;
        if (acked == savedPosition) return;
        WalPosition p = WalPosition.unpack(acked);
        try {
            positionFile.save(p);
            savedPosition = acked;
            stats.acknowledgedPosition = p.toString();
            hold.advance(p.segment());
        } catch (IOException e) {
            error("saving the acknowledged position: " + e.getMessage());
        }
    }

    /**
     * Grows the shards when the queues hold more than a batch per shard and every shard is busy sending, and shrinks
     * them when little is queued. Changing the count drains every queue first, so no series is ever split across
     * two shards with samples in both: per-series order holds. Not while a target refuses: more shards would not help.
     */
    private void maybeReshard() throws InterruptedException {
        Shard[] s = shards;
        long pending = 0;
        boolean anyRetrying = false;
        for (Shard x : s) {
            pending += x.pending();
            anyRetrying |= x.retrying();
        }
        long sent = stats.samplesSent.sum();
        long sentSince = sent - sentAtLastReshard;
        sentAtLastReshard = sent;
        RemoteWriteConfig.QueueConfig q = cfg.queue();
        int want = s.length;
        if (!anyRetrying && pending > (long) q.maxSamplesPerSend() * s.length && sentSince > 0) want = Math.min(q.maxShards(), s.length * 2);
        else if (pending < q.maxSamplesPerSend() / 2 && s.length > q.minShards()) want = Math.max(q.minShards(), s.length / 2);
        if (want == s.length) return;
        LOG.log(Level.INFO, "remote-write {0}: {1} pending samples, going from {2} to {3} shards", cfg.name(), pending, s.length, want);
        stopShards(false);
        startShards(want);
    }

    private void startShards(int n) {
        if (stopping && shards.length > 0) return; // closing: the shards being drained are the last ones
        RemoteWriteConfig.QueueConfig q = cfg.queue();
        Shard[] s = new Shard[n];
        Thread[] t = new Thread[n];
        for (int i = 0; i < n; i++) {
            s[i] = new Shard(this, Math.max(q.capacity(), q.maxSamplesPerSend()), q.maxSamplesPerSend(), q.batchSendDeadline().toNanos());
            t[i] = new Thread(s[i], "tally-remote-write-" + cfg.name() + "-shard-" + i);
            t[i].setDaemon(true);
        }
        shards = s;
        shardThreads = t;
        stats.shards = n;
        for (Thread x : t) x.start();
    }

    /** Drains (or with {@code abort}, abandons) every shard and waits for their threads. */
    private void stopShards(boolean abort) throws InterruptedException {
        for (Shard s : shards) {
            if (abort) s.abort();
            else s.stop();
        }
        for (Thread t : shardThreads) t.join();
    }

    // ---- used by shards ----

    HttpSender sender() { return sender; }

    boolean sendsV2() { return v2; }

    /**
     * The metadata 2.0 sends with a series. A name the snapshot lacks (a metric new since the last refresh) refreshes
     * it, at most every {@value #METADATA_MISS_REFRESH_MILLIS} ms, so series without any metadata cost no more than that.
     */
    MetricMetadata metadataFor(SeriesRef r) {
        String name = r.labels.metricName();
        if (name == null) return null;
        List<MetricMetadata> md = metadataSnapshot.get(name);
        if (md == null && System.currentTimeMillis() - lastMetadataRefresh >= METADATA_MISS_REFRESH_MILLIS) {
            refreshMetadata();
            md = metadataSnapshot.get(name);
        }
        return md == null || md.isEmpty() ? null : md.get(0);
    }

    void fallBackToV1(String why) {
        if (!v2) return;
        v2 = false;
        stats.protocol = "1.0";
        LOG.log(Level.WARNING, "remote-write {0}: {1} does not take remote-write 2.0 ({2}); sending 1.0 from now on",
                cfg.name(), cfg.url(), why);
    }

    void error(String message) {
        stats.lastError = message;
        stats.lastErrorMillis = System.currentTimeMillis();
        long now = stats.lastErrorMillis;
        if (now - lastErrorLog >= ERROR_LOG_EVERY_MILLIS) { // racy on purpose: it only rate-limits a log line
            lastErrorLog = now;
            LOG.log(Level.WARNING, "remote-write {0} ({1}): {2}", cfg.name(), cfg.url(), message);
        }
    }

    void shardFailed(Throwable e) {
        error("a shard stopped: " + e);
    }

    private void refreshMetadata() {
        lastMetadataRefresh = System.currentTimeMillis();
        try {
            metadataSnapshot = metadata.get();
        } catch (RuntimeException e) {
            error("reading metadata: " + e.getMessage());
        }
    }

    /** Remote-write 1.0 carries metadata in requests of its own, every metadata_config.send_interval. */
    private void sendMetadata() {
        List<Map.Entry<String, MetricMetadata>> all = new java.util.ArrayList<>();
        for (Map.Entry<String, List<MetricMetadata>> e : metadataSnapshot.entrySet()) {
            for (MetricMetadata m : e.getValue()) all.add(Map.entry(e.getKey(), m));
        }
        int per = cfg.metadata().maxSamplesPerSend();
        for (int i = 0; i < all.size() && !stopping; i += per) {
            List<Map.Entry<String, MetricMetadata>> part = all.subList(i, Math.min(all.size(), i + per));
            try {
                Payload body = metadataEncoder.encodeMetadata(part);
                HttpSender.Outcome o = sender.send(body.array(), body.length(), metadataEncoder.contentType(),
                        metadataEncoder.versionHeader(), false);
                if (o.kind() == HttpSender.Kind.OK) stats.metadataSent.add(part.size());
                else error("metadata: " + o.message());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Stops reading, gives the shards {@code flushMillis} to send what they hold, then abandons the rest (a restart
     * resends it from the saved position) and saves the acknowledged position.
     */
    public void close(long flushMillis) {
        stopping = true;
        reader.interrupt();
        try {
            reader.join(TimeUnit.SECONDS.toMillis(10));
            for (Shard s : shards) s.stop();
            long end = System.currentTimeMillis() + flushMillis;
            for (Thread t : shardThreads) t.join(Math.max(1, end - System.currentTimeMillis()));
            stopShards(true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        saveAcknowledged();
    }

    @Override
    public void close() {
        close(5_000);
    }
}
