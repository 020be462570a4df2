package tally.storage;

/**
 * One background task of the storage as /metrics shows it: runs, failures (each was logged and retried), when it
 * last succeeded (epoch ms, 0 = never) and its latest error (null = none yet).
 */
public record TaskStats(String name, long runs, long failures, long lastSuccessMillis, String lastError) {}
