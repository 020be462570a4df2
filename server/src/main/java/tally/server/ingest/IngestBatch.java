package tally.server.ingest;

import tally.model.AppendException;
import tally.model.Appender;
import tally.model.Labels;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One request's appends: wraps an {@link Appender}, applies label limits, and counts accepted
 * samples and refusals by reason (keeping the first message of each reason for the reply).
 */
public final class IngestBatch {
    private final Appender appender;
    private final LabelLimits limits;
    private final RequestLimits request;
    private final Map<String, Refusal> refusals = new LinkedHashMap<>();
    private long appended;  // samples the client sent so far, refused ones included
    private long accepted;
    private long series;
    /** The previous append's series and its storage ref: runs of samples of one series skip the limits check and the series lookup. */
    private Labels lastLabels;
    private long lastRef;

    /** How many samples were refused for one reason, and the first message seen (which speaks for {@code described} of them). */
    public static final class Refusal {
        public long count;
        public final String firstMessage;
        final long described;

        Refusal(String firstMessage, long described) {
            this.firstMessage = firstMessage;
            this.described = described;
        }
    }

    public IngestBatch(Appender appender, LabelLimits limits) {
        this(appender, limits, RequestLimits.NONE);
    }

    public IngestBatch(Appender appender, LabelLimits limits, RequestLimits request) {
        this.appender = appender;
        this.limits = limits;
        this.request = request;
    }

    /**
     * Appends one sample; false (and counted) when limits or the storage refuse it. Throws
     * {@link RequestTooLargeException} past the request's sample limit (the caller rolls the batch back).
     */
    public boolean append(Labels labels, long t, double v) {
        if (++appended > request.maxSamples() && request.maxSamples() > 0) {
            throw new RequestTooLargeException("the request holds more than " + request.maxSamples()
                    + " samples (--ingest.max-samples-per-request): send smaller batches");
        }
        long ref = 0;
        if (labels == lastLabels || labels.equals(lastLabels)) {
            ref = lastRef;
        } else {
            String tooBig = limits.check(labels);
            if (tooBig != null) {
                refuse("label_limit", tooBig);
                return false;
            }
        }
        try {
            lastRef = appender.append(ref, labels, t, v);
            lastLabels = labels;
            accepted++;
            return true;
        } catch (AppendException e) {
            Refusal r = refusals.get(reasonName(e.reason()));
            if (r != null) r.count++; // the message is only built for a reason's first refusal
            else refuse(reasonName(e.reason()), e.getMessage() + " for series " + labels);
            return false;
        }
    }

    /** Appends without counting refusals (for synthetic series like target_info that the client did not send). */
    public boolean appendQuietly(Labels labels, long t, double v) {
        if (limits.check(labels) != null) return false;
        try {
            appender.append(0, labels, t, v);
            return true;
        } catch (AppendException e) {
            return false;
        }
    }

    public void refuse(String reason, String message) {
        refusals.computeIfAbsent(reason, r -> new Refusal(message, 1)).count++;
    }

    /** Refuses {@code n} samples at once, for a message that already says how many ("12 exemplars dropped"). */
    public void refuseAll(String reason, String message, long n) {
        if (n <= 0) return;
        Refusal r = refusals.get(reason);
        if (r == null) refusals.put(reason, r = new Refusal(message, n));
        r.count += n;
    }

    /** Counts the client's series; throws {@link RequestTooLargeException} past the request's series limit. */
    public void countSeries(long n) {
        series += n;
        if (request.maxSeries() > 0 && series > request.maxSeries()) {
            throw new RequestTooLargeException("the request holds more than " + request.maxSeries()
                    + " series (--ingest.max-series-per-request): send smaller batches");
        }
    }

    public void commit() { appender.commit(); }

    public void rollback() { appender.rollback(); }

    public long accepted() { return accepted; }

    public long series() { return series; }

    public Map<String, Refusal> refusals() { return refusals; }

    public long refusedTotal() {
        long n = 0;
        for (Refusal r : refusals.values()) n += r.count;
        return n;
    }

    /** "reason: first message (and N more)" per reason, joined with "; ". */
    public String refusalSummary() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Refusal> e : refusals.entrySet()) {
            if (sb.length() > 0) sb.append("; ");
            sb.append(e.getValue().firstMessage);
            Refusal r = e.getValue();
            if (r.count > r.described) sb.append(" (and ").append(r.count - r.described).append(" more)");
        }
        return sb.toString();
    }

    public static String reasonName(AppendException.Reason r) {
        return r.name().toLowerCase();
    }
}
