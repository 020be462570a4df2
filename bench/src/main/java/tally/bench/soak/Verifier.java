package tally.bench.soak;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Reads back every acknowledged sample through the Prometheus API: one raw range selector per user
 * ({@code {user_account_uuid="..."}[R]} at the end time), so each answer holds a few dozen series. A stored
 * series matches an expected one when it carries all the expected labels (Tally may add more, e.g. job).
 * <ul>
 * <li>exact (remote-write, OTLP cumulative): the sample at that timestamp with that value;</li>
 * <li>delta (OTLP delta sums, which Tally turns into cumulative counters): a sample at that timestamp whose value is
 * at least the sum of the acknowledged deltas up to it: an export that was stored but whose answer was lost (the
 * kill came first) was not acknowledged, and its resend is refused as a duplicate, so the stored total may be higher;</li>
 * <li>events (counters Tally derives from Claude Code's events): the counter's last value is at least the number of
 * acknowledged events (Tally places an event's sample at max(event time, previous sample + 1 ms), so times are not compared).</li>
 * </ul>
 */
final class Verifier {
    static final class Result {
        long users, series, checked, found, missing, unverified, queryErrors;
        long millis;
        final List<String> firstMissing = new ArrayList<>();

        void miss(String what) {
            missing++;
            if (firstMissing.size() < 10) firstMissing.add(what);
        }
    }

    private record Stored(Map<String, String> labels, long[] ts, double[] vals) {}

    private final TallyProcess tally;
    private final Ledger ledger;

    Verifier(TallyProcess tally, Ledger ledger) {
        this.tally = tally;
        this.ledger = ledger;
    }

    Result check(List<SoakUser> users, long rangeMs) throws InterruptedException {
        Result r = new Result();
        long t0 = System.currentTimeMillis();
        long atSec = t0 / 1000 + 1;
        for (SoakUser u : users) {
            List<Ledger.Series> expected = ledger.of(u.id);
            if (expected.isEmpty()) continue;
            r.users++;
            String sel = u.transport == Transport.OTLP_LOGS
                    ? "{__name__=~\"claude_code_api_requests_total|claude_code_tool_calls_total\",user_id=\"" + u.id + "\"}"
                    : "{user_account_uuid=\"" + u.id + "\"}";
            List<Stored> stored = query(sel + "[" + (rangeMs / 60_000 + 1) + "m]", atSec);
            for (Ledger.Series s : expected) {
                long[] ts = s.times();
                double[] vs = s.values();
                if (ts.length == 0) continue;
                r.series++;
                if (stored == null) {
                    r.unverified += ts.length;
                    continue;
                }
                compare(s, ts, vs, matching(stored, s), r);
            }
            if (stored == null) r.queryErrors++;
        }
        r.millis = System.currentTimeMillis() - t0;
        return r;
    }

    private static void compare(Ledger.Series s, long[] ts, double[] vs, List<Stored> found, Result r) {
        if (s.kind == Ledger.Kind.EVENTS) {
            double acked = 0, last = 0;
            for (double v : vs) acked += v;
            for (Stored st : found) if (st.vals.length > 0) last += st.vals[st.vals.length - 1];
            r.checked += (long) acked;
            if (last >= acked) {
                r.found += (long) acked;
            } else {
                r.found += (long) last;
                r.missing += (long) acked - (long) last;
                if (r.firstMissing.size() < 10) r.firstMissing.add(s + ": counter " + last + " < " + (long) acked + " acknowledged events");
            }
            return;
        }
        Map<Long, Double> at = new HashMap<>();
        for (Stored st : found) for (int i = 0; i < st.ts.length; i++) at.put(st.ts[i], st.vals[i]);
        double sum = 0;
        for (int i = 0; i < ts.length; i++) {
            r.checked++;
            sum += vs[i];
            Double got = at.get(ts[i]);
            boolean ok;
            if (got == null) ok = false;
            else if (s.kind == Ledger.Kind.DELTA) ok = got >= sum - 1e-9 * Math.abs(sum);
            else ok = got.doubleValue() == vs[i] || Math.abs(got - vs[i]) <= 1e-12 * Math.abs(vs[i]);
            if (ok) {
                r.found++;
            } else {
                r.miss(s + " @" + ts[i] + " acked " + (s.kind == Ledger.Kind.DELTA ? "delta " + vs[i] + " (sum " + sum + ")" : vs[i])
                        + ", stored " + (got == null ? "nothing" : got));
            }
        }
    }

    private static List<Stored> matching(List<Stored> stored, Ledger.Series s) {
        List<Stored> out = new ArrayList<>();
        next:
        for (Stored st : stored) {
            for (int i = 0; i < s.labels.length; i += 2) {
                if (!s.labels[i + 1].equals(st.labels.get(s.labels[i]))) continue next;
            }
            out.add(st);
        }
        return out;
    }

    /** The matrix of an instant query of a range selector; null when the query failed. */
    private List<Stored> query(String promql, long atSec) throws InterruptedException {
        String path = "/api/v1/query?query=" + DashboardReader.enc(promql) + "&time=" + atSec;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                HttpResponse<String> resp = Sender.HTTP.send(HttpRequest.newBuilder(URI.create(tally.url(path)))
                        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
                if (resp.statusCode() != 200) {
                    Thread.sleep(1000);
                    continue;
                }
                JsonArray result = JsonParser.parseString(resp.body()).getAsJsonObject().getAsJsonObject("data").getAsJsonArray("result");
                List<Stored> out = new ArrayList<>();
                for (JsonElement e : result) {
                    JsonObject o = e.getAsJsonObject();
                    Map<String, String> labels = new HashMap<>();
                    for (Map.Entry<String, JsonElement> l : o.getAsJsonObject("metric").entrySet()) labels.put(l.getKey(), l.getValue().getAsString());
                    JsonArray values = o.getAsJsonArray("values");
                    long[] ts = new long[values.size()];
                    double[] vs = new double[values.size()];
                    for (int i = 0; i < ts.length; i++) {
                        JsonArray p = values.get(i).getAsJsonArray();
                        ts[i] = new java.math.BigDecimal(p.get(0).getAsString()).movePointRight(3).longValueExact();
                        vs[i] = Double.parseDouble(p.get(1).getAsString());
                    }
                    out.add(new Stored(labels, ts, vs));
                }
                return out;
            } catch (java.io.IOException | RuntimeException e) {
                Thread.sleep(1000);
            }
        }
        return null;
    }
}
