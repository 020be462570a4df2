package tally.server.api;

import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * --query.max-concurrency: how many PromQL queries run at once. Prometheus queues the rest; Tally answers them 503
 * with Retry-After at once instead, because a waiting query would hold one of the request workers that ingest
 * shares, and a shared server must keep taking data while dashboards pile up.
 */
final class QueryGate {
    static final String RETRY_AFTER_SECONDS = "1";

    private final Semaphore slots;
    private final int max;

    QueryGate(int max) {
        this.max = max;
        this.slots = new Semaphore(max);
    }

    Function<ApiParams, ApiResponse> guard(Function<ApiParams, ApiResponse> query) {
        return params -> {
            if (!slots.tryAcquire()) {
                throw new ApiError("unavailable", 503, "too many queries running at once (--query.max-concurrency=" + max
                        + "); retry after " + RETRY_AFTER_SECONDS + " s").retryAfter(RETRY_AFTER_SECONDS);
            }
            try {
                return query.apply(params);
            } finally {
                slots.release();
            }
        };
    }
}
