package tally.server.api;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import tally.model.Labels;
import tally.model.MatchType;
import tally.model.Matcher;
import tally.model.Querier;
import tally.model.SelectHints;
import tally.model.SeriesSet;
import tally.model.Storage;

/**
 * Status endpoints: build info, runtime info, flags, TSDB cardinality, and the empty exemplars answer
 * Grafana probes for.
 */
public final class StatusApi {
    /**
     * The Prometheus API level Tally implements. Grafana picks features by this version (a
     * pre-2.24 version would make it fall back to slower series lookups), so it names the
     * Prometheus release whose API Tally matches; Tally's own version is in "revision".
     */
    public static final String PROMETHEUS_API_VERSION = "3.5.0";
    public static final String TALLY_VERSION = "0.1.0";

    private final Storage storage;
    private final Map<String, String> flags;
    private final String storagePath;
    private final long startMillis;
    private final LongSupplier clock;

    public StatusApi(Storage storage, Map<String, String> flags, String storagePath, LongSupplier clockMillis) {
        this(storage, flags, storagePath, clockMillis, null);
    }

    /** {@code config}: the reload status runtimeinfo reports; null for "loaded once, at start". */
    public StatusApi(Storage storage, Map<String, String> flags, String storagePath, LongSupplier clockMillis, ConfigStatus config) {
        this.storage = storage;
        this.flags = new TreeMap<>(flags);
        this.storagePath = storagePath;
        this.startMillis = clockMillis.getAsLong();
        this.clock = clockMillis;
        long start = startMillis;
        this.config = config != null ? config : new ConfigStatus(() -> true, () -> start);
    }

    /** Whether the last configuration (re)load succeeded and when one last did, for runtimeinfo. */
    public record ConfigStatus(java.util.function.BooleanSupplier reloadSuccess, LongSupplier lastConfigMillis) {}

    private final ConfigStatus config;

    public ApiResponse buildInfo() {
        JsonOut out = ApiResponse.begin().raw("{\"version\":").str(PROMETHEUS_API_VERSION)
                .raw(",\"revision\":").str("tally-" + TALLY_VERSION)
                .raw(",\"branch\":\"tally\",\"buildUser\":\"tally\",\"buildDate\":\"\",\"goVersion\":")
                .str("java" + System.getProperty("java.version")).raw('}');
        return ApiResponse.finish(out);
    }

    public ApiResponse runtimeInfo() {
        Runtime rt = Runtime.getRuntime();
        JsonOut out = ApiResponse.begin().raw("{\"startTime\":").str(Instant.ofEpochMilli(startMillis).toString())
                .raw(",\"CWD\":").str(System.getProperty("user.dir"))
                .raw(",\"reloadConfigSuccess\":").raw(Boolean.toString(config.reloadSuccess().getAsBoolean()))
                .raw(",\"lastConfigTime\":").str(Instant.ofEpochMilli(config.lastConfigMillis().getAsLong()).toString())
                .raw(",\"corruptionCount\":0,\"goroutineCount\":").raw(Integer.toString(Thread.activeCount()))
                .raw(",\"GOMAXPROCS\":").raw(Integer.toString(rt.availableProcessors()))
                .raw(",\"GOMEMLIMIT\":").raw(Long.toString(rt.maxMemory()))
                .raw(",\"GOGC\":\"\",\"GODEBUG\":\"\",\"storageRetention\":").str(flags.getOrDefault("storage.retention", ""))
                .raw(",\"uptimeSeconds\":").raw(Long.toString(ManagementFactory.getRuntimeMXBean().getUptime() / 1000))
                .raw(",\"storagePath\":").str(storagePath).raw('}');
        return ApiResponse.finish(out);
    }

    public ApiResponse flags() {
        JsonOut out = ApiResponse.begin().raw('{');
        int i = 0;
        for (Map.Entry<String, String> e : flags.entrySet()) {
            if (i++ > 0) out.raw(',');
            out.str(e.getKey()).raw(':').str(e.getValue());
        }
        out.raw('}');
        return ApiResponse.finish(out);
    }

    /**
     * Cardinality of the series with samples in the last 24 hours (Prometheus reports its head
     * block, about the last two to three hours): the first place to look when session ids explode.
     */
    public ApiResponse tsdb(ApiParams p) {
        int limit = p.limit() > 0 ? p.limit() : 10;
        long now = clock.getAsLong();
        long from = now - 86_400_000L;
        Map<String, Integer> byMetric = new HashMap<>();
        Map<String, Set<String>> valuesByName = new HashMap<>();
        Map<String, Long> bytesByName = new HashMap<>();
        Map<String, Integer> byPair = new HashMap<>();
        long series = 0;
        try (Querier q = storage.querier(from, now)) {
            SeriesSet set = q.select(false, SelectHints.range(from, now), List.of(Matcher.of(MatchType.REGEX, Labels.METRIC_NAME, ".+")));
            while (set.next()) {
                Labels l = set.at().labels();
                series++;
                byMetric.merge(l.getOrEmpty(Labels.METRIC_NAME), 1, Integer::sum);
                for (int i = 0; i < l.size(); i++) {
                    if (valuesByName.computeIfAbsent(l.name(i), k -> new HashSet<>()).add(l.value(i))) {
                        bytesByName.merge(l.name(i), (long) l.value(i).length(), Long::sum);
                    }
                    byPair.merge(l.name(i) + "=" + l.value(i), 1, Integer::sum);
                }
            }
        }
        Map<String, Long> valueCounts = new HashMap<>();
        valuesByName.forEach((k, v) -> valueCounts.put(k, (long) v.size()));
        JsonOut out = ApiResponse.begin().raw("{\"headStats\":{\"numSeries\":").raw(Long.toString(series))
                .raw(",\"numLabelPairs\":").raw(Integer.toString(byPair.size()))
                .raw(",\"chunkCount\":0,\"minTime\":").raw(Long.toString(from))
                .raw(",\"maxTime\":").raw(Long.toString(now)).raw('}');
        top(out, "seriesCountByMetricName", toLong(byMetric), limit);
        top(out, "labelValueCountByLabelName", valueCounts, limit);
        top(out, "memoryInBytesByLabelName", bytesByName, limit);
        top(out, "seriesCountByLabelValuePair", toLong(byPair), limit);
        out.raw('}');
        return ApiResponse.finish(out);
    }

    private static Map<String, Long> toLong(Map<String, Integer> m) {
        Map<String, Long> out = new HashMap<>();
        m.forEach((k, v) -> out.put(k, (long) v));
        return out;
    }

    private static void top(JsonOut out, String key, Map<String, Long> counts, int limit) {
        List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
        entries.sort((a, b) -> b.getValue().equals(a.getValue()) ? a.getKey().compareTo(b.getKey()) : Long.compare(b.getValue(), a.getValue()));
        out.raw(",\"").raw(key).raw("\":[");
        for (int i = 0; i < Math.min(limit, entries.size()); i++) {
            if (i > 0) out.raw(',');
            out.raw("{\"name\":").str(entries.get(i).getKey()).raw(",\"value\":").raw(Long.toString(entries.get(i).getValue())).raw('}');
        }
        out.raw(']');
    }

    /** Tally stores no exemplars: an empty success, which Grafana's probe expects. */
    public ApiResponse exemplars() {
        return ApiResponse.finish(ApiResponse.begin().raw("[]"));
    }
}
