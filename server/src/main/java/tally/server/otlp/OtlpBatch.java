package tally.server.otlp;

import tally.server.ingest.IngestBatch;
import tally.server.otlp.delta.StreamKey;

import java.util.ArrayList;
import java.util.List;

/** One OTLP request's progress: the appends, data points refused (for partial_success), delta streams touched. */
public final class OtlpBatch {
    public final IngestBatch ingest;
    final List<StreamKey> touchedStreams = new ArrayList<>();
    private long rejectedPoints;
    private long points;

    public OtlpBatch(IngestBatch ingest) { this.ingest = ingest; }

    void point() { points++; }

    /** A data point refused before reaching storage (delta order, unsupported type, bad name). */
    void reject(String reason, String message) {
        ingest.refuse(reason, message);
        rejectedPoints++;
    }

    /** A data point some of whose samples storage refused (already counted by the ingest batch). */
    void rejectedByStorage() { rejectedPoints++; }

    public long rejectedPoints() { return rejectedPoints; }

    public long points() { return points; }

    public List<StreamKey> touchedStreams() { return touchedStreams; }
}
