package tally.server.api;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueryGateTest {
    @Test
    void queriesBeyondTheLimitGet503WithRetryAfterAndSlotsComeBack() throws Exception {
        CountDownLatch running = new CountDownLatch(1), release = new CountDownLatch(1);
        Function<ApiParams, ApiResponse> slow = p -> {
            running.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new ApiResponse(200, new byte[0]);
        };
        Function<ApiParams, ApiResponse> gated = new QueryGate(1).guard(slow);
        CompletableFuture<ApiResponse> first = CompletableFuture.supplyAsync(() -> gated.apply(new ApiParams(Map.of())));
        assertTrue(running.await(10, TimeUnit.SECONDS));

        ApiError busy = assertThrows(ApiError.class, () -> gated.apply(new ApiParams(Map.of())));
        assertEquals(503, busy.status());
        assertEquals("unavailable", busy.errorType());
        assertEquals("1", busy.retryAfter());
        ApiResponse json = ApiResponse.error(busy);
        assertEquals("1", json.retryAfter());
        assertTrue(new String(json.body(), StandardCharsets.UTF_8).contains("--query.max-concurrency=1"));

        release.countDown();
        assertEquals(200, first.get(10, TimeUnit.SECONDS).status());
        assertEquals(200, gated.apply(new ApiParams(Map.of())).status(), "the slot is free again");
    }
}
