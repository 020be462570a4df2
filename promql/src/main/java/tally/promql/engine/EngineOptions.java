package tally.promql.engine;

/**
 * Engine limits and defaults. {@code lookbackDeltaMs}: how far back an instant selector looks for a sample;
 * {@code defaultEvalIntervalMs}: step of subqueries written without one; {@code maxSamples}: most samples held
 * in memory at once; {@code maxPointsPerSeries}: most steps a range query may have.
 */
public record EngineOptions(long lookbackDeltaMs, long defaultEvalIntervalMs, long timeoutMs, long maxSamples,
                            int maxPointsPerSeries) {
    public static EngineOptions defaults() {
        return new EngineOptions(5 * 60_000L, 60_000L, 2 * 60_000L, 50_000_000L, 11_000);
    }
}
