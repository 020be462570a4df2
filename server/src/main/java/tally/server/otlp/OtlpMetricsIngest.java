package tally.server.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import tally.model.Appendable;
import tally.server.ingest.IngestBatch;
import tally.server.ingest.IngestLimiter;
import tally.server.ingest.LabelLimits;
import tally.server.log.Log;
import tally.server.metrics.ServerMetrics;
import tally.server.otlp.delta.DeltaAccumulator;

import java.util.Map;

/**
 * The one OTLP metrics ingest path, whatever carried the export (OTLP/HTTP or OTLP/gRPC): admission by the
 * {@link IngestLimiter}, translation (delta to cumulative included), one {@link IngestBatch} committed or rolled
 * back as a whole, the ingest counters. Transports decode their framing and compression and map the
 * {@link OtlpExportOutcome} to their own replies.
 */
public final class OtlpMetricsIngest implements OtlpHttpExport.Admission {
    /** The protocol label of the ingest counters: one for both transports, since it is one protocol. */
    static final String PROTOCOL = "otlp";

    private final Appendable storage;
    private final OtlpTranslator translator;
    private final DeltaAccumulator delta;
    private final IngestLimiter limiter;
    private final LabelLimits limits;
    private final ServerMetrics metrics;

    public OtlpMetricsIngest(Appendable storage, OtlpTranslator translator, DeltaAccumulator delta, IngestLimiter limiter,
                             LabelLimits limits, ServerMetrics metrics) {
        this.storage = storage;
        this.translator = translator;
        this.delta = delta;
        this.limiter = limiter;
        this.limits = limits;
        this.metrics = metrics;
    }

    /**
     * Asks the limiter before the transport decompresses or parses anything: null when the export may go ahead
     * (then {@link #release} it), else why it must wait. The refusal keeps its kind (too many at once, or storage
     * catching up) because OTLP/HTTP answers them differently (429, 503); see {@link #overloaded}.
     */
    @Override
    public IngestLimiter.Refusal tryAdmit() {
        return limiter.tryAdmit(PROTOCOL);
    }

    @Override
    public void release() {
        limiter.release();
    }

    /** A whole export of protobuf bytes already unframed and decompressed: admission, ingest, release. */
    public OtlpExportOutcome export(byte[] protobuf) {
        IngestLimiter.Refusal refused = tryAdmit();
        if (refused != null) return overloaded(refused);
        try {
            return ingest(protobuf);
        } finally {
            release();
        }
    }

    public static OtlpExportOutcome overloaded(IngestLimiter.Refusal refused) {
        return OtlpExportOutcome.overloaded(refused.message(), refused.retryAfter());
    }

    /** An admitted protobuf export; it is decoded while translating, and a decoding error discards the whole batch. */
    public OtlpExportOutcome ingest(byte[] protobuf) {
        return ingest(protobuf, null);
    }

    /** An admitted export already parsed (OTLP/JSON). */
    public OtlpExportOutcome ingest(ExportMetricsServiceRequest parsed) {
        return ingest(null, parsed);
    }

    /** The message of an export that does not decode, the same for every transport. */
    public static String undecodable(boolean json, InvalidProtocolBufferException e) {
        return "cannot decode " + (json ? "OTLP/JSON" : "OTLP protobuf") + " body: " + e.getMessage();
    }

    private OtlpExportOutcome ingest(byte[] protobuf, ExportMetricsServiceRequest parsed) {
        IngestBatch batch = new IngestBatch(storage.appender(), limits);
        OtlpBatch otlp = new OtlpBatch(batch);
        try {
            if (parsed != null) {
                translator.translate(parsed, otlp);
            } else {
                try {
                    translator.translate(protobuf, otlp);
                } catch (InvalidProtocolBufferException e) {
                    batch.rollback();
                    delta.forget(otlp.touchedStreams());
                    return OtlpExportOutcome.badData(undecodable(false, e));
                }
            }
            batch.commit();
        } catch (RuntimeException e) {
            try {
                batch.rollback();
            } catch (RuntimeException ignored) {
                // the storage is already failing; the commit error is the one to report
            }
            // the running totals must not include points that were never stored, or the sender's retry double-counts
            delta.forget(otlp.touchedStreams());
            Log.error("OTLP append failed", "err", e.toString());
            metrics.samplesRejected.labels(PROTOCOL, "storage_error").add(batch.accepted());
            return OtlpExportOutcome.overloaded("storage could not take the data: " + e.getMessage(), "5");
        }
        metrics.samplesIngested.labels(PROTOCOL).add(batch.accepted());
        metrics.seriesIngested.labels(PROTOCOL).add(batch.series());
        for (Map.Entry<String, IngestBatch.Refusal> r : batch.refusals().entrySet()) {
            metrics.samplesRejected.labels(PROTOCOL, r.getKey()).add(r.getValue().count);
        }
        if (otlp.rejectedPoints() > 0) {
            Log.debug("OTLP points refused", "rejected", otlp.rejectedPoints(), "reasons", batch.refusalSummary());
        }
        return OtlpExportOutcome.accepted(otlp.rejectedPoints(), otlp.rejectedPoints() > 0 ? batch.refusalSummary() : "");
    }
}
