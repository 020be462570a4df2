package tally.server.metrics;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** Heap, non-heap and direct/mapped buffer memory of this JVM, plus process start time. */
public final class JvmMetrics {
    private JvmMetrics() {}

    public static void register(MetricsRegistry registry) {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        registry.gauge("jvm_memory_heap_used_bytes", "Used heap memory.", () -> mem.getHeapMemoryUsage().getUsed());
        registry.gauge("jvm_memory_heap_committed_bytes", "Committed heap memory.", () -> mem.getHeapMemoryUsage().getCommitted());
        registry.gauge("jvm_memory_heap_max_bytes", "Maximum heap memory.", () -> mem.getHeapMemoryUsage().getMax());
        registry.gauge("jvm_memory_nonheap_used_bytes", "Used non-heap memory (metaspace, code cache).",
                () -> mem.getNonHeapMemoryUsage().getUsed());
        registry.register(out -> {
            out.family("jvm_buffer_pool_used_bytes", "Memory used by NIO buffer pools (direct = off-heap, mapped = mmapped files).", "gauge");
            for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
                out.sample("jvm_buffer_pool_used_bytes", new String[] {"pool"}, new String[] {pool.getName()}, pool.getMemoryUsed());
            }
        });
        long startSeconds = ManagementFactory.getRuntimeMXBean().getStartTime() / 1000;
        registry.gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.", () -> startSeconds);
    }
}
