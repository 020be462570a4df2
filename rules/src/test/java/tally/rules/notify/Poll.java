package tally.rules.notify;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline instead of sleeping a fixed time. */
final class Poll {
    static final Duration DEFAULT = Duration.ofSeconds(10);

    private Poll() {}

    static void until(BooleanSupplier condition, String what) {
        until(condition, DEFAULT, () -> what);
    }

    static void until(BooleanSupplier condition, Duration within, Supplier<String> what) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("not within " + within.toMillis() + " ms: " + what.get());
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for " + what.get());
            }
        }
    }
}
