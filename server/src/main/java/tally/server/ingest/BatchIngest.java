package tally.server.ingest;

import java.util.Map;
import tally.model.Appendable;
import tally.model.Fatal;
import tally.server.log.Log;
import tally.server.metrics.ServerMetrics;

/**
 * One ingest request as every protocol runs it (remote-write; OTLP metrics over HTTP and gRPC): admission by the
 * {@link IngestLimiter} before anything is decoded, the protocol's samples appended to one {@link IngestBatch} and
 * committed or rolled back as a whole, the ingest counters, and one error policy. The protocol decodes its body
 * ({@link Work}) and maps the {@link IngestOutcome} to its own reply.
 *
 * <p>The error policy:
 * <ul>
 *   <li>samples refused one by one (out of order, duplicate, limits, unsupported kinds): the rest is committed;
 *       ACCEPTED, with the refusals for the reply;</li>
 *   <li>a body invalid as a whole ({@link BadDataException}): rolled back, BAD_DATA (400, not retried);</li>
 *   <li>a body too large once decompressed ({@link BodyTooLargeException}), or with more series or samples than
 *       {@link RequestLimits} allow: rolled back, TOO_LARGE (413);</li>
 *   <li>anything else that fails before the commit returned, in the storage or in Tally itself: rolled back,
 *       OVERLOADED (503 + Retry-After): nothing of the request was acknowledged, so the sender keeps it and retries,
 *       and nothing it sent before is touched.</li>
 * </ul>
 * Every path that does not commit rolls back, which also returns the appender's pooled buffers to the thread.
 */
public final class BatchIngest {
    /** Seconds a sender waits before retrying a request Tally failed to store. */
    static final String RETRY_AFTER_FAILURE = "5";

    /** A protocol's part of one request. */
    public interface Work {
        /** Decodes the body and appends its samples to the batch (not committed yet). */
        void appendTo(IngestBatch batch) throws BadDataException, BodyTooLargeException;

        /** The committed request's outcome: how many of the protocol's items were refused, and why. */
        IngestOutcome accepted(IngestBatch batch);

        /** The batch was rolled back: undo protocol state that counted on it (OTLP's running delta totals). */
        default void rolledBack() { }
    }

    private final String protocol;
    private final Appendable storage;
    private final LabelLimits limits;
    private final RequestLimits request;
    private final IngestLimiter limiter;
    private final ServerMetrics metrics;

    /** {@code protocol}: the label of the ingest counters. */
    public BatchIngest(String protocol, Appendable storage, LabelLimits limits, RequestLimits request, IngestLimiter limiter,
                       ServerMetrics metrics) {
        this.protocol = protocol;
        this.storage = storage;
        this.limits = limits;
        this.request = request;
        this.limiter = limiter;
        this.metrics = metrics;
    }

    /**
     * Asks the limiter before the transport decompresses or parses anything: null when the request may go ahead
     * (then {@link #release} it), else why it must wait (too many at once, or the storage catching up).
     */
    public IngestLimiter.Refusal tryAdmit() {
        return limiter.tryAdmit(protocol);
    }

    public void release() {
        limiter.release();
    }

    /** Admission, ingest, release: for transports with nothing to do between admission and decoding. */
    public IngestOutcome admitAndRun(Work work) {
        IngestLimiter.Refusal refused = tryAdmit();
        if (refused != null) return IngestOutcome.overloaded(refused);
        try {
            return run(work);
        } finally {
            release();
        }
    }

    /** An admitted request: its samples committed as one batch, or none of them (see the class comment). */
    public IngestOutcome run(Work work) {
        IngestBatch batch = new IngestBatch(storage.appender(), limits, request);
        try {
            work.appendTo(batch);
            batch.commit();
        } catch (BadDataException e) {
            rollBack(batch, work, e);
            return IngestOutcome.badData(e.getMessage());
        } catch (BodyTooLargeException e) {
            rollBack(batch, work, e);
            return IngestOutcome.tooLarge(e.getMessage());
        } catch (RequestTooLargeException e) {
            rollBack(batch, work, e);
            return IngestOutcome.tooLarge(e.getMessage());
        } catch (RuntimeException | Error e) {
            Fatal.exitOnOutOfMemory(e); // a JVM out of memory answers nothing reliably: restart, replay the WAL
            rollBack(batch, work, e);
            Log.error(protocol + " ingest failed; rolled back, the sender is told to retry", "err", e.toString());
            metrics.samplesRejected.labels(protocol, "storage_error").add(batch.accepted());
            return IngestOutcome.overloaded("could not store the data, retry later: " + e.getMessage(), RETRY_AFTER_FAILURE);
        }
        metrics.samplesIngested.labels(protocol).add(batch.accepted());
        metrics.seriesIngested.labels(protocol).add(batch.series());
        for (Map.Entry<String, IngestBatch.Refusal> r : batch.refusals().entrySet()) {
            metrics.samplesRejected.labels(protocol, r.getKey()).add(r.getValue().count);
        }
        return work.accepted(batch);
    }

    private static void rollBack(IngestBatch batch, Work work, Throwable cause) {
        try {
            batch.rollback();
        } catch (RuntimeException | Error e) {
            Fatal.exitOnOutOfMemory(e);
            cause.addSuppressed(e); // the storage is failing already: the first error is the one to report
        }
        work.rolledBack();
    }
}
