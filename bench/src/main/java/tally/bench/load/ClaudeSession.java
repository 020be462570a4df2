package tally.bench.load;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One running Claude Code process: its counters, advanced once per simulated minute and exported every
 * 60 s as cumulative values. A series exists from the export after its first increment until the session ends.
 */
final class ClaudeSession {
    static final String[] TOKEN_TYPES = {"input", "output", "cacheRead", "cacheCreation"};
    static final String SONNET = "claude-sonnet-4-5";
    static final String OPUS = "claude-opus-4-1";
    static final String HAIKU = "claude-haiku-4-5";

    /** List prices in USD per million tokens: input, output, cache read, cache creation (5 min writes). */
    static double[] prices(String model) {
        switch (model) {
            case OPUS: return new double[] {15, 75, 1.5, 18.75};
            case HAIKU: return new double[] {1, 5, 0.1, 1.25};
            default: return new double[] {3, 15, 0.3, 3.75};
        }
    }

    private static final class Counter {
        final SeriesDef def;
        double value;
        Block block;
        int blockWindow = -1;

        Counter(SeriesDef def) {
            this.def = def;
        }
    }

    final ClaudePlan.Session plan;
    final int stream;
    private final SplittableRandom rnd;
    private final String sessionId;
    private final String appVersion;
    private final String mainModel;
    private final boolean usesHaiku;
    private final boolean edits;
    private final boolean commits;
    private final boolean pullRequests;
    private final String startType;
    private final OtlpResource resource;
    private final Map<String, Counter> counters = new HashMap<>();
    private final List<Counter> order = new ArrayList<>();
    private int nextMinute = 1;
    private int commitsMade;
    long seriesCreated;

    ClaudeSession(ClaudePlan.Session plan, long seed, int streams) {
        this.plan = plan;
        long mix = (plan.seq + 1) * 0x9E3779B97F4A7C15L;
        stream = (int) ((mix >>> 33) % streams);
        rnd = new SplittableRandom(seed ^ mix);
        sessionId = ClaudePlan.uuid(rnd);
        // Claude Code releases about every three days; each developer upgrades a few days late.
        appVersion = "2.1." + (300 + Math.max(0, (plan.day - plan.dev.upgradeLagDays) / 3));
        mainModel = rnd.nextDouble() < plan.dev.opusShare ? OPUS : SONNET;
        usesHaiku = rnd.nextDouble() < 0.6;
        edits = rnd.nextDouble() < 0.8;
        commits = rnd.nextDouble() < 0.5;
        pullRequests = commits && rnd.nextDouble() < 0.3;
        double st = rnd.nextDouble();
        startType = st < 0.8 ? "fresh" : st < 0.9 ? "resume" : "continue";
        resource = new OtlpResource(new String[] {"service.name", "claude-code", "service.version", appVersion,
                "os.type", plan.dev.os, "host.arch", plan.dev.os.equals("darwin") ? "arm64" : "amd64"},
                "com.anthropic.claude_code", appVersion);
    }

    boolean done() {
        return nextMinute > plan.minutes;
    }

    /** Advances and exports every minute whose export time falls before windowEnd. */
    void run(Window w) {
        while (nextMinute <= plan.minutes) {
            long t = plan.startMs + nextMinute * 60_000L;
            if (t >= w.endMs()) return;
            step(nextMinute);
            for (Counter c : order) {
                if (c.blockWindow != w.index) {
                    c.block = new Block(c.def);
                    c.blockWindow = w.index;
                    w.streams.get(stream).add(c.block);
                }
                c.block.add(t, c.value);
            }
            nextMinute++;
        }
    }

    private void step(int minute) {
        if (minute == 1) inc("session", 1);
        boolean busy = minute <= 2 || rnd.nextDouble() < 0.55;
        if (!busy) {
            if (rnd.nextDouble() < 0.3) inc("active|user", 1 + rnd.nextInt(10));
            return;
        }
        inc("active|cli", 5 + rnd.nextInt(46));
        if (rnd.nextDouble() < 0.7) inc("active|user", 1 + rnd.nextInt(20));
        tokens(mainModel, 1.0);
        if (usesHaiku && minute > 1 && rnd.nextDouble() < 0.3) tokens(HAIKU, 0.2);
        if (edits && minute > 2 && rnd.nextDouble() < 0.35) edit();
        if (commits && minute > plan.minutes / 2 && rnd.nextDouble() < 0.08) {
            inc("commit", 1);
            commitsMade++;
        }
        if (pullRequests && commitsMade > 0 && rnd.nextDouble() < 0.05) inc("pr", 1);
    }

    private void tokens(String model, double scale) {
        double[] price = prices(model);
        long[] n = {
                (long) ((200 + rnd.nextInt(2800)) * scale),
                (long) ((300 + rnd.nextInt(3700)) * scale),
                (long) ((5_000 + rnd.nextInt(75_000)) * scale),
                rnd.nextDouble() < 0.6 ? (long) ((1_000 + rnd.nextInt(14_000)) * scale) : 0};
        double cost = 0;
        for (int i = 0; i < 4; i++) {
            if (n[i] == 0) continue;
            inc("tok|" + TOKEN_TYPES[i] + "|" + model, n[i]);
            cost += n[i] * price[i] / 1e6;
        }
        inc("cost|" + model, cost);
    }

    private void edit() {
        double r = rnd.nextDouble();
        String tool = r < 0.7 ? "Edit" : r < 0.95 ? "Write" : "NotebookEdit";
        boolean accept = rnd.nextDouble() < 0.9;
        String language = tool.equals("NotebookEdit") ? "Python" : rnd.nextDouble() < 0.8 ? plan.dev.language : plan.dev.secondLanguage;
        inc("edit|" + tool + "|" + (accept ? "accept" : "reject") + "|" + language, 1);
        if (accept) {
            inc("loc|added", 1 + rnd.nextInt(60));
            if (rnd.nextDouble() < 0.6) inc("loc|removed", 1 + rnd.nextInt(30));
        }
    }

    private void inc(String key, double by) {
        Counter c = counters.get(key);
        if (c == null) {
            c = new Counter(define(key.split("\\|")));
            counters.put(key, c);
            order.add(c);
            seriesCreated++;
        }
        c.value += by;
    }

    private SeriesDef define(String[] k) {
        switch (k[0]) {
            case "session":
                return series("claude_code_session_count_total", "claude_code.session.count", "", "start_type", startType);
            case "active":
                return series("claude_code_active_time_seconds_total", "claude_code.active_time.total", "s", "type", k[1]);
            case "tok":
                return series("claude_code_token_usage_tokens_total", "claude_code.token.usage", "tokens", "model", k[2], "type", k[1]);
            case "cost":
                return series("claude_code_cost_usage_USD_total", "claude_code.cost.usage", "USD", "model", k[1]);
            case "edit":
                return series("claude_code_code_edit_tool_decision_total", "claude_code.code_edit_tool.decision", "",
                        "decision", k[2], "language", k[3], "tool_name", k[1]);
            case "loc":
                return series("claude_code_lines_of_code_count_total", "claude_code.lines_of_code.count", "", "model", mainModel, "type", k[1]);
            case "commit":
                return series("claude_code_commit_count_total", "claude_code.commit.count", "");
            case "pr":
                return series("claude_code_pull_request_count_total", "claude_code.pull_request.count", "");
            default:
                throw new IllegalArgumentException(k[0]);
        }
    }

    private SeriesDef series(String promName, String otlpName, String unit, String... extra) {
        ClaudePlan.Developer dev = plan.dev;
        String[] labels = new String[16 + extra.length];
        String[] attrs = new String[10 + extra.length];
        String[] common = {"session_id", sessionId, "user_account_uuid", dev.accountUuid, "organization_id", dev.organizationId,
                "terminal_type", dev.terminal, "app_version", appVersion};
        String[] commonOtlp = {"session.id", sessionId, "user.account_uuid", dev.accountUuid, "organization.id", dev.organizationId,
                "terminal.type", dev.terminal, "app.version", appVersion};
        System.arraycopy(common, 0, labels, 0, 10);
        labels[10] = "__name__";
        labels[11] = promName;
        labels[12] = "job";
        labels[13] = "claude-code";
        labels[14] = "service_name";
        labels[15] = "claude-code";
        System.arraycopy(extra, 0, labels, 16, extra.length);
        System.arraycopy(commonOtlp, 0, attrs, 0, 10);
        System.arraycopy(extra, 0, attrs, 10, extra.length);
        return new SeriesDef(labels, true, otlpName, unit, attrs, resource);
    }
}
