package tally.server.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import tally.model.Appendable;
import tally.server.ingest.BadDataException;
import tally.server.ingest.BatchIngest;
import tally.server.ingest.IngestBatch;
import tally.server.ingest.IngestLimiter;
import tally.server.ingest.IngestOutcome;
import tally.server.ingest.LabelLimits;
import tally.server.ingest.RequestLimits;
import tally.server.log.Log;
import tally.server.metrics.ServerMetrics;
import tally.server.otlp.delta.DeltaAccumulator;

/**
 * The one OTLP metrics ingest path, whatever carried the export (OTLP/HTTP or OTLP/gRPC), on the ingest every
 * protocol shares ({@link BatchIngest}: admission, one batch committed or rolled back as a whole, the counters, the
 * error policy). Its own part: translation, delta to cumulative included, whose running totals forget a batch that
 * was rolled back. Transports decode their framing and compression and map the {@link IngestOutcome} to their own
 * replies.
 */
public final class OtlpMetricsIngest implements OtlpHttpExport.Admission {
    /** The protocol label of the ingest counters: one for both transports, since it is one protocol. */
    static final String PROTOCOL = "otlp";

    private final OtlpTranslator translator;
    private final DeltaAccumulator delta;
    private final BatchIngest ingest;

    public OtlpMetricsIngest(Appendable storage, OtlpTranslator translator, DeltaAccumulator delta, IngestLimiter limiter,
                             LabelLimits limits, RequestLimits request, ServerMetrics metrics) {
        this.translator = translator;
        this.delta = delta;
        this.ingest = new BatchIngest(PROTOCOL, storage, limits, request, limiter, metrics);
    }

    /**
     * Asks the limiter before the transport decompresses or parses anything: null when the export may go ahead
     * (then {@link #release} it), else why it must wait. The refusal keeps its kind (too many at once, or storage
     * catching up) because OTLP/HTTP answers them differently (429, 503).
     */
    @Override
    public IngestLimiter.Refusal tryAdmit() {
        return ingest.tryAdmit();
    }

    @Override
    public void release() {
        ingest.release();
    }

    /** A whole export of protobuf bytes already unframed and decompressed: admission, ingest, release. */
    public IngestOutcome export(byte[] protobuf) {
        return ingest.admitAndRun(new Export(protobuf));
    }

    /** An admitted protobuf export; it is decoded while translating, and a decoding error discards the whole batch. */
    public IngestOutcome ingest(byte[] protobuf) {
        return ingest.run(new Export(protobuf));
    }

    /** An admitted OTLP/JSON export, parsed whole before it is translated. */
    public IngestOutcome ingestJson(byte[] json) {
        return ingest.run(new Export(json).json());
    }

    /** The message of an export that does not decode, the same for every transport. */
    public static String undecodable(boolean json, InvalidProtocolBufferException e) {
        return "cannot decode " + (json ? "OTLP/JSON" : "OTLP protobuf") + " body: " + e.getMessage();
    }

    /** One export's translation into the batch. */
    private final class Export implements BatchIngest.Work {
        private final byte[] body;
        private boolean json;
        private OtlpBatch otlp;

        Export(byte[] body) {
            this.body = body;
        }

        Export json() {
            json = true;
            return this;
        }

        @Override
        public void appendTo(IngestBatch batch) throws BadDataException {
            otlp = new OtlpBatch(batch);
            try {
                if (json) translator.translate(OtlpJson.parse(body), otlp);
                else translator.translate(body, otlp);
            } catch (InvalidProtocolBufferException e) {
                throw new BadDataException(undecodable(json, e));
            }
        }

        /** The running totals must not include points that were never stored, or the sender's retry double-counts. */
        @Override
        public void rolledBack() {
            if (otlp != null) delta.forget(otlp.touchedStreams());
        }

        @Override
        public IngestOutcome accepted(IngestBatch batch) {
            long rejected = otlp.rejectedPoints();
            if (rejected == 0) return IngestOutcome.ACCEPTED;
            Log.debug("OTLP points refused", "rejected", rejected, "reasons", batch.refusalSummary());
            return IngestOutcome.accepted(rejected, batch.refusalSummary());
        }
    }
}
