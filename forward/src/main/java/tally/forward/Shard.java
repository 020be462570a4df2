package tally.forward;

import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import tally.forward.wire.Payload;
import tally.forward.wire.ProtobufMessage;
import tally.forward.wire.RemoteWriteEncoder;
import tally.forward.wire.SendBatch;

/**
 * One shard of a target: a bounded FIFO of samples and the thread that sends them in batches. A series always maps
 * to the same shard, so its samples go out in order. A sample leaves the queue only once the target has answered
 * for it, so the oldest queued sample's WAL position is the point before which this shard owes nothing: the
 * forwarder persists the minimum over shards. A full queue blocks the WAL reader, never ingest.
 */
final class Shard implements Runnable {
    private static final System.Logger LOG = System.getLogger(Shard.class.getName());

    private final Forwarder owner;
    private final int maxPerSend;
    private final long deadlineNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    // ring buffer, guarded by lock; the slice being sent is only read by the shard thread until it is removed
    private final SeriesRef[] refs;
    private final long[] times;
    private final long[] bits;
    private final long[] positions;
    private int head;
    private int size;
    private long oldestArrivalNanos;
    private volatile boolean stopping;
    private volatile boolean abort;
    private volatile boolean retrying;
    // the shard thread's own: a batch and an encoder per version, reused from request to request
    private final SendBatch batch = new SendBatch();
    private final RemoteWriteEncoder[] encoders = new RemoteWriteEncoder[2];

    Shard(Forwarder owner, int capacity, int maxPerSend, long deadlineNanos) {
        this.owner = owner;
        this.maxPerSend = maxPerSend;
        this.deadlineNanos = deadlineNanos;
        refs = new SeriesRef[capacity];
        times = new long[capacity];
        bits = new long[capacity];
        positions = new long[capacity];
    }

    /** Queues a sample, waiting while the queue is full. False when the shard is stopping. */
    boolean offer(SeriesRef ref, long t, long valueBits, long position) throws InterruptedException {
        lock.lock();
        try {
            while (size == refs.length && !stopping) changed.await();
            if (stopping) return false;
            int i = (head + size) % refs.length;
            refs[i] = ref;
            times[i] = t;
            bits[i] = valueBits;
            positions[i] = position;
            if (size++ == 0) oldestArrivalNanos = System.nanoTime();
            if (size >= maxPerSend || size == 1) changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The WAL position of the oldest sample not yet answered for, or {@link Long#MAX_VALUE} when none. */
    long oldestPending() {
        lock.lock();
        try {
            return size == 0 ? Long.MAX_VALUE : positions[head];
        } finally {
            lock.unlock();
        }
    }

    int pending() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    /** The last send failed and is being retried. */
    boolean retrying() { return retrying; }

    /** Sends what is queued, then ends. */
    void stop() {
        stopping = true;
        signal();
    }

    /** Ends at once, leaving what is queued unsent (it is resent after restart from the persisted position). */
    void abort() {
        abort = true;
        stop();
    }

    private void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void run() {
        try {
            while (true) {
                int n;
                int from;
                lock.lock();
                try {
                    while (true) {
                        if (abort || (stopping && size == 0)) return;
                        if (size >= maxPerSend || (size > 0 && stopping)) break;
                        if (size == 0) {
                            changed.await();
                            continue;
                        }
                        long wait = deadlineNanos - (System.nanoTime() - oldestArrivalNanos);
                        if (wait <= 0) break;
                        changed.awaitNanos(wait);
                    }
                    n = Math.min(size, maxPerSend);
                    from = head;
                } finally {
                    lock.unlock();
                }
                if (!send(from, n)) return;
                lock.lock();
                try {
                    for (int k = 0; k < n; k++) refs[(from + k) % refs.length] = null;
                    head = (head + n) % refs.length;
                    size -= n;
                    oldestArrivalNanos = System.nanoTime();
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            LOG.log(Level.ERROR, "remote-write " + owner.name() + ": shard stopped by an unexpected error", e);
            owner.shardFailed(e);
        }
    }

    /** Sends samples [from, from+n) until the target takes or refuses them; false when aborted first. */
    private boolean send(int from, int n) throws InterruptedException {
        RemoteWriteConfig.QueueConfig q = owner.config().queue();
        long backoff = Math.max(1, q.minBackoff().toMillis());
        ForwardStats stats = owner.stats();
        while (true) {
            if (abort) return false;
            boolean v2 = owner.sendsV2();
            RemoteWriteEncoder enc = encoder(v2);
            batch.clear();
            for (int k = 0; k < n; k++) {
                int i = (from + k) % refs.length;
                SeriesRef r = refs[i];
                batch.add(r.id, r.labels, v2 ? owner.metadataFor(r) : null, times[i], Double.longBitsToDouble(bits[i]));
            }
            long maxT = batch.maxTime();
            Payload body = enc.encode(batch);
            HttpSender.Outcome o = owner.sender().send(body.array(), body.length(), enc.contentType(), enc.versionHeader(), v2);
            stats.requests.increment();
            switch (o.kind()) {
                case OK -> {
                    retrying = false;
                    stats.samplesSent.add(n);
                    stats.bytesSent.add(body.length());
                    ForwardStats.max(stats.highestSentMillis, maxT);
                    return true;
                }
                case NOT_V2 -> owner.fallBackToV1(o.message());
                case DROP -> {
                    retrying = false;
                    stats.requestsFailed.increment();
                    stats.samplesFailed.add(n);
                    owner.error("dropped " + n + " samples: " + o.message());
                    return true;
                }
                case RETRY -> {
                    retrying = true;
                    stats.requestsFailed.increment();
                    stats.samplesRetried.add(n);
                    owner.error("will retry " + n + " samples: " + o.message());
                    long sleep = o.retryAfterMillis() >= 0 ? o.retryAfterMillis() : backoff;
                    sleepUnlessAborted(sleep);
                    backoff = Math.min(backoff * 2, Math.max(1, q.maxBackoff().toMillis()));
                }
            }
        }
    }

    private RemoteWriteEncoder encoder(boolean v2) {
        int i = v2 ? 1 : 0;
        if (encoders[i] == null) encoders[i] = RemoteWriteEncoder.of(v2 ? ProtobufMessage.V2 : ProtobufMessage.V1);
        return encoders[i];
    }

    private void sleepUnlessAborted(long millis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        lock.lock();
        try {
            long left;
            while (!abort && (left = end - System.nanoTime()) > 0) changed.awaitNanos(left);
        } finally {
            lock.unlock();
        }
    }
}
