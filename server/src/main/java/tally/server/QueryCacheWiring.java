package tally.server;

import tally.model.Storage;
import tally.model.WriteObservable;
import tally.promql.cache.RangeResultCache;
import tally.server.config.ServerConfig;
import tally.server.metrics.MetricsRegistry;

/** The range query result cache: made from --query.result-cache-size, told of writes, shown on /metrics. */
final class QueryCacheWiring {
    /** Samples newer than this behind the clock are still arriving: results that read them are not kept. */
    static final long FRESHNESS_MS = 5 * 60_000L;

    private QueryCacheWiring() {}

    /** The cache, or null when it is off or the storage cannot report its writes (without that it could go stale). */
    static RangeResultCache create(ServerConfig config, Storage storage, MetricsRegistry registry) {
        if (config.queryResultCacheBytes <= 0 || !(storage instanceof WriteObservable observable)) return null;
        RangeResultCache cache = new RangeResultCache(config.queryResultCacheBytes, FRESHNESS_MS, System::currentTimeMillis);
        observable.observeWrites(cache);
        registry.register(out -> {
            RangeResultCache.Stats s = cache.stats();
            metric(out, "tally_query_cache_hits_total", "counter", "Pieces of range query results served from the cache.", s.hits());
            metric(out, "tally_query_cache_misses_total", "counter", "Cacheable pieces of range query results that had to be computed.", s.misses());
            metric(out, "tally_query_cache_invalidated_total", "counter",
                    "Cached pieces dropped because samples they read were written or deleted.", s.invalidated());
            metric(out, "tally_query_cache_evicted_total", "counter", "Cached pieces dropped to stay within --query.result-cache-size.", s.evicted());
            metric(out, "tally_query_cache_entries", "gauge", "Pieces of range query results in the cache.", s.entries());
            metric(out, "tally_query_cache_bytes", "gauge", "Estimated heap bytes of the cached pieces.", s.bytes());
        });
        return cache;
    }

    private static void metric(tally.server.metrics.MetricWriter out, String name, String type, String help, double value) {
        out.family(name, help, type).sample(name, value);
    }
}
