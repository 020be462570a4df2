package tally.server.ingest;

import tally.model.MetricMetadata;
import tally.model.Storage;

import java.util.concurrent.ConcurrentHashMap;

/** Passes metric metadata to storage only when it changed, so every request does not rewrite it. */
public final class MetadataRecorder {
    private static final int MAX_CACHED = 100_000;

    private final Storage storage;
    private final ConcurrentHashMap<String, MetricMetadata> last = new ConcurrentHashMap<>();

    public MetadataRecorder(Storage storage) { this.storage = storage; }

    public void record(String metric, MetricMetadata md) {
        MetricMetadata prev = last.get(metric);
        if (md.equals(prev)) return;
        storage.putMetadata(metric, md);
        if (last.size() >= MAX_CACHED) last.clear();
        last.put(metric, md);
    }
}
