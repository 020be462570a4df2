package tally.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A failing background task is counted and retried with back-off, and does not stop the others. */
class StorageMaintenanceTest {
    @Test
    void aFailingTaskBacksOffWhileTheOthersKeepRunning() throws Exception {
        AtomicInteger failing = new AtomicInteger();
        AtomicInteger healthy = new AtomicInteger();
        StorageMaintenance m = new StorageMaintenance("test-lane", () -> { })
                .add("broken", () -> true, () -> {
                    failing.incrementAndGet();
                    throw new java.io.IOException("disk says no");
                })
                .add("fine", () -> true, healthy::incrementAndGet);
        m.start();
        try {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (healthy.get() < 20 && System.nanoTime() < deadline) {
                m.wake();
                Thread.sleep(5);
            }
            assertTrue(healthy.get() >= 20, "the healthy task kept running: " + healthy.get());
            // woken on every pass, the broken task still waits out its back-off (1 s after the first failure, then 2 s)
            assertTrue(failing.get() >= 1 && failing.get() <= 3, "retried with back-off, not on every pass: " + failing.get());
            TaskStats broken = m.stats().get(0);
            assertEquals("broken", broken.name());
            assertEquals(failing.get(), broken.failures());
            assertTrue(broken.lastError().contains("disk says no"), broken.lastError());
            assertEquals(0, broken.lastSuccessMillis());
            TaskStats fine = m.stats().get(1);
            assertEquals(0, fine.failures());
            assertTrue(fine.lastSuccessMillis() > 0);
        } finally {
            assertTrue(m.stop(5000));
        }
    }
}
