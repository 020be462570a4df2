package tally.server.web;

import java.util.function.LongSupplier;

/**
 * rate_limit: a token bucket holding {@code burst} requests, one more each {@code interval}, starting full (the
 * limiter exporter-toolkit takes from golang.org/x/time/rate). With a burst of 0 nothing passes, as there.
 * Not thread-safe: the caller serializes.
 */
final class RateLimiter {
    private final int burst;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private double tokens;
    private long last;

    RateLimiter(WebConfig.RateLimit limit, LongSupplier nanoTime) {
        this.burst = limit.burst();
        this.intervalNanos = Math.max(1, limit.intervalMillis() * 1_000_000L);
        this.nanoTime = nanoTime;
        this.tokens = burst;
        this.last = nanoTime.getAsLong();
    }

    boolean tryAcquire() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(burst, tokens + (double) (now - last) / intervalNanos);
        last = now;
        if (tokens < 1) return false;
        tokens -= 1;
        return true;
    }
}
