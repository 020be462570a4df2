package tally.bench.promql;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import tally.bench.JvmFlags;
import tally.model.Appender;
import tally.model.Labels;
import tally.model.Matcher;
import tally.model.Querier;
import tally.model.SampleIterator;
import tally.model.SelectHints;
import tally.model.SeriesSet;
import tally.promql.ast.Expr;
import tally.promql.engine.Engine;
import tally.promql.engine.EngineOptions;
import tally.promql.engine.QueryResult;
import tally.promql.engine.RangeMatrix;
import tally.promql.parser.PromQLParser;
import tally.storage.StorageOptions;
import tally.storage.TallyStorage;

/**
 * Range queries of Claude Code dashboards over a real {@link TallyStorage}: 100k series over 30 days, in
 * sessions of 15-40 series (cost per model, tokens per model and type, edit decisions), ~37 samples at 60 s
 * each, all flushed to the store. Samples processed per query are counted once in setup (every sample of the
 * selected metric inside the query's widest window), so ns/sample = time per query / that count.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.ADD_OPENS_1, JvmFlags.ADD_OPENS_2, JvmFlags.ADD_EXPORTS_1,
        JvmFlags.ADD_EXPORTS_2, JvmFlags.NO_ANALYTICS, "-Xmx4g"})
public class EvalBench {
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final int DAYS = 30;
    static final int TOTAL_SERIES = 100_000;
    static final String[] MODELS = {"claude-sonnet-4-5", "claude-opus-4-1", "claude-haiku-4-5"};
    static final String[] TYPES = {"input", "output", "cacheRead", "cacheCreation"};
    static final String[] TOOLS = {"Edit", "Write", "MultiEdit", "NotebookEdit"};
    static final String[] DECISIONS = {"accept", "reject"};
    static final String[] LANGUAGES = {"TypeScript", "Java", "Python", "Go", "Rust", "Markdown", "YAML"};

    static final String COST_QUERY = "sum by (model) (increase(claude_code_cost_usage_USD_total[1d]))";
    static final String TOKEN_QUERY = "sum by (type) (rate(claude_code_token_usage_tokens_total[5m]))";

    Path dir;
    TallyStorage storage;
    Engine engine;
    Expr costExpr;
    Expr tokenExpr;
    /** Data starts at a midnight 31 days ago: recent enough for the store's retention (wall-clock based). */
    long t0;
    long costStart, costEnd, tokenStart, tokenEnd;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        dir = Files.createTempDirectory("tally-eval-bench");
        storage = TallyStorage.open(StorageOptions.defaults(dir).withIdleSeriesMillis(10 * MINUTE));
        long now = System.currentTimeMillis();
        t0 = now - now % DAY - (DAYS + 1) * DAY;
        long samples = load(storage, t0, new Random(11));
        engine = new Engine(EngineOptions.defaults());
        costExpr = PromQLParser.parseExpr(COST_QUERY);
        tokenExpr = PromQLParser.parseExpr(TOKEN_QUERY);
        costStart = t0;
        costEnd = t0 + DAYS * DAY;
        tokenStart = t0 + 15 * DAY;
        tokenEnd = tokenStart + DAY;
        long costSamples = countSamples("claude_code_cost_usage_USD_total", costStart - DAY, costEnd);
        long tokenSamples = countSamples("claude_code_token_usage_tokens_total", tokenStart - 5 * MINUTE, tokenEnd);
        System.out.printf("%nloaded %d samples; cost query reads %d samples, token query %d samples%n",
                samples, costSamples, tokenSamples);
    }

    /** Sessions start evenly over the 30 days, in time order, so idle series leave the head as time moves on. */
    static long load(TallyStorage storage, long t0, Random r) {
        Appender a = storage.appender();
        long samples = 0;
        int series = 0;
        int sessions = 0;
        // ~27.5 series per session on average
        int expectedSessions = TOTAL_SERIES * 2 / 55;
        while (series < TOTAL_SERIES) {
            Labels[] session = session(r, Math.min(15 + r.nextInt(26), TOTAL_SERIES - series));
            long start = t0 + (long) sessions * (DAYS * DAY - 40 * MINUTE) / expectedSessions + r.nextInt(60_000);
            for (Labels l : session) {
                double v = 0;
                boolean cost = l.get("__name__").startsWith("claude_code_cost");
                for (int k = 0; k < 37; k++) {
                    v += cost ? r.nextInt(50) * 0.001 : r.nextInt(4) == 0 ? 0 : r.nextInt(3000);
                    a.append(0, l, start + k * MINUTE, v);
                    samples++;
                }
            }
            a.commit();
            series += session.length;
            sessions++;
        }
        // a late sample moves data time on so every session is idle and flushed to the store
        a.append(0, Labels.of("__name__", "clock"), t0 + (DAYS + 1) * DAY, 1);
        a.commit();
        storage.flush();
        return samples;
    }

    /** n series of one session: cost per model, tokens per model and type, then edit decisions. */
    static Labels[] session(Random r, int n) {
        String sessionId = new java.util.UUID(r.nextLong(), r.nextLong()).toString();
        int user = r.nextInt(500);
        String userId = new java.util.UUID(user, 42).toString();
        Labels[] out = new Labels[n];
        int k = 0;
        for (String model : MODELS) {
            if (k < n) out[k++] = labels("claude_code_cost_usage_USD_total", sessionId, userId, user, "model", model);
            for (String type : TYPES) {
                if (k < n) out[k++] = labels("claude_code_token_usage_tokens_total", sessionId, userId, user,
                        "model", model, "type", type);
            }
        }
        for (int i = 0; k < n; i++) {
            out[k++] = labels("claude_code_code_edit_tool_decision_total", sessionId, userId, user,
                    "tool_name", TOOLS[i % TOOLS.length], "decision", DECISIONS[(i / TOOLS.length) % 2],
                    "language", LANGUAGES[(i / (2 * TOOLS.length)) % LANGUAGES.length]);
        }
        return out;
    }

    private static Labels labels(String name, String session, String userId, int user, String... extra) {
        String[] kv = new String[20 + extra.length];
        String[] base = {"__name__", name, "job", "claude-code", "service_name", "claude-code",
                "service_version", "2.1.330", "session_id", session, "user_account_uuid", userId,
                "organization_id", "org-" + (user % 7), "terminal_type", "vscode", "os_type", "linux",
                "host_arch", "amd64"};
        System.arraycopy(base, 0, kv, 0, 20);
        System.arraycopy(extra, 0, kv, 20, extra.length);
        return Labels.of(kv);
    }

    private long countSamples(String metric, long mint, long maxt) {
        long n = 0;
        try (Querier q = storage.querier(mint, maxt)) {
            SeriesSet set = q.select(false, SelectHints.range(mint, maxt), List.of(Matcher.metricName(metric)));
            SampleIterator it = null;
            while (set.next()) {
                it = set.at().iterator(it);
                while (it.next()) if (it.atT() > mint && it.atT() <= maxt) n++;
            }
        }
        return n;
    }

    /** 30 days at 1 h steps (721 steps), each a 1-day increase window. */
    @Benchmark
    public int costPerModel30dHourly() {
        QueryResult r = engine.range(storage, costExpr, costStart, costEnd, HOUR);
        return ((RangeMatrix) r.value()).series().size();
    }

    /** 1 day at 60 s steps (1441 steps), each a 5-minute rate window. */
    @Benchmark
    public int tokenRateByType1dMinutely() {
        QueryResult r = engine.range(storage, tokenExpr, tokenStart, tokenEnd, MINUTE);
        return ((RangeMatrix) r.value()).series().size();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        storage.close();
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
