package tally.storage;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Watches how full the heap is right after each garbage collection: the one number that says whether live data,
 * not garbage, is filling it. When two collections in a row leave it past {@code fraction} of the maximum, the
 * storage pushes back on ingest; below {@code fraction - 0.1} it stops. A young collection leaves the old
 * generation's garbage behind (G1 frees it in later mixed collections), so one high reading alone is no proof; and
 * while pushing back with no collection for a while, {@link #recheck} asks for a full one: with ingest paused little
 * is allocated, and without it the reading would never change.
 */
final class HeapWatch implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(HeapWatch.class.getName());

    private final double on;
    private final double off;
    private final long max = Runtime.getRuntime().maxMemory();
    private final Set<String> heapPools = new HashSet<>();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::onGc;
    private volatile boolean pressed;
    private int highInARow;
    private volatile double lastFraction;
    private volatile long lastGcNanos = System.nanoTime();
    private long lastRequestedGcNanos;

    HeapWatch(double fraction) {
        this.on = fraction;
        this.off = Math.max(0, fraction - 0.1);
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) heapPools.add(p.getName());
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter e) {
                e.addNotificationListener(listener, null, null);
                emitters.add(e);
            }
        }
    }

    /** Whether the heap was over its fraction after the latest collection (and has not come back under since). */
    boolean pressed() {
        return pressed;
    }

    /** Heap used right after the latest collection, as a fraction of the maximum. */
    double lastFraction() {
        return lastFraction;
    }

    /**
     * While pushing back, asks for a full collection when none happened for two seconds (at most one every ten):
     * the reading then reflects live data and the push-back ends as soon as the flusher has freed the heap.
     */
    void recheck() {
        long now = System.nanoTime();
        if (!pressed || now - lastGcNanos < 2_000_000_000L || now - lastRequestedGcNanos < 10_000_000_000L) return;
        lastRequestedGcNanos = now;
        System.gc();
    }

    private void onGc(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) return;
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        long used = 0;
        for (var e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(e.getKey())) used += e.getValue().getUsed();
        }
        lastGcNanos = System.nanoTime();
        double f = max > 0 ? (double) used / max : 0;
        lastFraction = f;
        highInARow = f >= on ? highInARow + 1 : 0;
        if (!pressed && highInARow >= 2) {
            pressed = true;
            LOG.log(System.Logger.Level.WARNING, String.format(
                    "heap %.0f%% full after garbage collection: ingest is asked to retry later until it is below %.0f%%", 100 * f, 100 * off));
        } else if (pressed && f < off) {
            pressed = false;
            LOG.log(System.Logger.Level.INFO, String.format("heap %.0f%% full after garbage collection: ingest resumes", 100 * f));
        }
    }

    @Override
    public void close() {
        for (NotificationEmitter e : emitters) {
            try {
                e.removeNotificationListener(listener);
            } catch (ListenerNotFoundException ignored) {
                // already gone
            }
        }
    }
}
