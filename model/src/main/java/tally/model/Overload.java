package tally.model;

/**
 * Why the storage wants new samples to wait: it is catching up (retiring series, flushing, sealing, or its heap is
 * nearly full), and accepting more now would take memory it does not have. Ingest answers "retry later"
 * (HTTP 503 with {@code Retry-After}), which remote-write and OTLP senders retry; nothing accepted is lost.
 *
 * @param reason            one line for the reply and the log
 * @param retryAfterSeconds how long a sender should wait
 */
public record Overload(String reason, int retryAfterSeconds) {}
