package tally.bench.soak;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * One developer who always has a Claude Code session open and exports every interval. A session lasts 5-20
 * minutes, then a new session id starts: the series churn of DESIGN.md section 4 (every session makes new
 * series), compressed so that a 30-minute run sees it several times per user.
 */
final class SoakUser {
    /** One data point of a metrics export: cumulative value, or the increase since {@code startMs} for delta. */
    record Point(Ledger.Series series, Metric metric, long startMs, long t, double value) {}

    /** One Claude Code event of a logs export; {@code counts} is the derived counter series it increments. */
    record Event(String name, long t, long sequence, String sessionId, String[] attrs, Ledger.Series counts) {}

    /** A metric series of the current session, in both shapes (OTLP name/attributes and Prometheus labels). */
    static final class Metric {
        final String otlpName, unit;
        final String[] attrs; // OTLP data point attributes
        final Ledger.Series series;
        double total;
        long lastExportMs = -1;
        boolean exported;

        Metric(String otlpName, String unit, String[] attrs, Ledger.Series series) {
            this.otlpName = otlpName;
            this.unit = unit;
            this.attrs = attrs;
            this.series = series;
        }
    }

    final Transport transport;
    final String id; // user.account_uuid (metrics) or user.id (events): the verifier's per-user selector
    final String org;
    final long phaseMs;
    private final SplittableRandom rnd;
    private final Ledger ledger;
    String sessionId;
    long sessionStartMs, sessionEndMs;
    private long sequence;
    private final Map<String, Metric> metrics = new LinkedHashMap<>();
    private final Map<String, Ledger.Series> eventSeries = new LinkedHashMap<>();
    int sessions;

    SoakUser(Transport transport, int index, long seed, long intervalMs, Ledger ledger) {
        this.transport = transport;
        this.rnd = new SplittableRandom(seed * 1_000_003L + index);
        this.id = uuid(rnd);
        this.org = "org-" + (index % 20);
        this.phaseMs = rnd.nextLong(intervalMs);
        this.ledger = ledger;
    }

    String selectorLabel() {
        return transport == Transport.OTLP_LOGS ? "user_id" : "user_account_uuid";
    }

    private void newSession(long now) {
        sessionId = uuid(rnd);
        sessionStartMs = now - 1_000;
        sessionEndMs = now + (5 + rnd.nextInt(16)) * 60_000L;
        sequence = 0;
        metrics.clear();
        sessions++;
    }

    /** The points of this export: delta exports carry only series that moved, cumulative ones every series so far. */
    List<Point> metricsExport(long now) {
        if (sessionId == null || now >= sessionEndMs) newSession(now);
        if (sessions > 0 && !metrics.containsKey("session")) inc("session", 1, "claude_code.session.count", "");
        inc("active|cli", 5 + rnd.nextInt(25), "claude_code.active_time.total", "s", "type", "cli");
        if (rnd.nextDouble() < 0.7) inc("active|user", 1 + rnd.nextInt(20), "claude_code.active_time.total", "s", "type", "user");
        String model = "claude-sonnet-4-5";
        long in = 200 + rnd.nextInt(2800), outTok = 300 + rnd.nextInt(3700), cache = 5_000 + rnd.nextInt(75_000);
        inc("tok|input", in, "claude_code.token.usage", "tokens", "type", "input", "model", model);
        inc("tok|output", outTok, "claude_code.token.usage", "tokens", "type", "output", "model", model);
        inc("tok|cacheRead", cache, "claude_code.token.usage", "tokens", "type", "cacheRead", "model", model);
        inc("cost", Math.round((in * 3 + outTok * 15 + cache * 0.3) / 1e6 * 1e6) / 1e6, "claude_code.cost.usage", "USD", "model", model);
        if (rnd.nextDouble() < 0.6) {
            long cc = 1_000 + rnd.nextInt(14_000);
            inc("tok|cacheCreation", cc, "claude_code.token.usage", "tokens", "type", "cacheCreation", "model", model);
            inc("cost", Math.round(cc * 3.75) / 1e6, "claude_code.cost.usage", "USD", "model", model);
        }
        if (rnd.nextDouble() < 0.3) { // a Haiku side call (Claude Code uses it for small tasks)
            String haiku = "claude-haiku-4-5";
            long hi = 100 + rnd.nextInt(900), ho = 50 + rnd.nextInt(300);
            inc("tok|input|h", hi, "claude_code.token.usage", "tokens", "type", "input", "model", haiku);
            inc("tok|output|h", ho, "claude_code.token.usage", "tokens", "type", "output", "model", haiku);
            inc("cost|h", Math.round(hi * 1 + ho * 5) / 1e6, "claude_code.cost.usage", "USD", "model", haiku);
        }
        if (rnd.nextDouble() < 0.35) {
            String tool = rnd.nextDouble() < 0.75 ? "Edit" : "Write", decision = rnd.nextDouble() < 0.9 ? "accept" : "reject";
            inc("edit|" + tool + "|" + decision, 1, "claude_code.code_edit_tool.decision", "", "tool_name", tool, "decision", decision, "language", "Java");
        }
        if (rnd.nextDouble() < 0.4) inc("loc|added", 1 + rnd.nextInt(60), "claude_code.lines_of_code.count", "", "type", "added");
        if (rnd.nextDouble() < 0.3) inc("loc|removed", 1 + rnd.nextInt(30), "claude_code.lines_of_code.count", "", "type", "removed");
        boolean delta = transport == Transport.OTLP_HTTP;
        List<Point> out = new ArrayList<>();
        for (Metric m : metrics.values()) {
            if (delta) {
                if (m.total == 0) continue;
                long start = m.lastExportMs >= 0 ? m.lastExportMs : sessionStartMs;
                out.add(new Point(m.series, m, start, now, m.total)); // m.total holds the increase since the last export
                m.total = 0;
                m.lastExportMs = now;
            } else {
                out.add(new Point(m.series, m, sessionStartMs, now, m.total));
            }
        }
        return out;
    }

    private void inc(String key, double by, String otlpName, String unit, String... extra) {
        Metric m = metrics.get(key);
        if (m == null) {
            String promName = promName(otlpName, unit);
            String[] attrs = new String[8 + extra.length];
            String[] base = {"session.id", sessionId, "user.account_uuid", id, "organization.id", org, "terminal.type", "vscode"};
            System.arraycopy(base, 0, attrs, 0, 8);
            System.arraycopy(extra, 0, attrs, 8, extra.length);
            String[] labels = new String[2 + attrs.length + (transport == Transport.REMOTE_WRITE ? 2 : 0)];
            labels[0] = "__name__";
            labels[1] = promName;
            for (int i = 0; i < attrs.length; i += 2) {
                labels[2 + i] = attrs[i].replace('.', '_');
                labels[3 + i] = attrs[i + 1];
            }
            if (transport == Transport.REMOTE_WRITE) {
                labels[labels.length - 2] = "job";
                labels[labels.length - 1] = "claude-code";
            }
            m = new Metric(otlpName, unit, attrs, ledger.series(id, transport == Transport.OTLP_HTTP ? Ledger.Kind.DELTA : Ledger.Kind.EXACT, labels));
            metrics.put(key, m);
        }
        m.total += by;
    }

    /** Prometheus's OTLP translation (UnderscoreEscapingWithSuffixes) for the units used here. */
    static String promName(String otlpName, String unit) {
        String base = otlpName.replace('.', '_');
        if (base.endsWith("_total")) base = base.substring(0, base.length() - 6); // "_total" moves behind the unit
        String suffix = switch (unit) {
            case "s" -> "_seconds";
            case "tokens" -> "_tokens";
            case "USD" -> "_USD";
            default -> "";
        };
        return base + suffix + "_total";
    }

    /** 1-3 api_request and 0-4 tool_result events spread over the last interval, sequence numbered per session. */
    List<Event> eventsExport(long now, long intervalMs) {
        if (sessionId == null || now >= sessionEndMs) newSession(now);
        List<Event> out = new ArrayList<>();
        int requests = 1 + rnd.nextInt(3), tools = rnd.nextInt(5);
        int n = requests + tools;
        for (int i = 0; i < n; i++) {
            long t = now - intervalMs + (i + 1) * (intervalMs / (n + 1));
            if (i < requests) {
                String model = rnd.nextDouble() < 0.8 ? "claude-sonnet-4-5" : "claude-haiku-4-5";
                out.add(new Event("api_request", t, sequence++, sessionId,
                        new String[] {"model", model, "duration_ms", Integer.toString(400 + rnd.nextInt(9000)),
                                "cost_usd", "0.01", "input_tokens", "1000", "output_tokens", "200"},
                        counter("claude_code_api_requests_total", "model", model)));
            } else {
                String tool = new String[] {"Read", "Edit", "Bash", "Grep"}[rnd.nextInt(4)];
                String ok = rnd.nextDouble() < 0.9 ? "true" : "false";
                out.add(new Event("tool_result", t, sequence++, sessionId,
                        new String[] {"tool_name", tool, "success", ok, "duration_ms", Integer.toString(5 + rnd.nextInt(2000))},
                        counter("claude_code_tool_calls_total", "tool_name", tool, "success", ok)));
            }
        }
        return out;
    }

    private Ledger.Series counter(String name, String... labels) {
        String key = name + String.join("|", labels);
        return eventSeries.computeIfAbsent(key, k -> {
            String[] l = new String[4 + labels.length];
            l[0] = "__name__";
            l[1] = name;
            l[2] = "user_id";
            l[3] = id;
            System.arraycopy(labels, 0, l, 4, labels.length);
            return ledger.series(id, Ledger.Kind.EVENTS, l);
        });
    }

    static String uuid(SplittableRandom rnd) {
        return new UUID((rnd.nextLong() & ~0xF000L) | 0x4000L, (rnd.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
    }
}
