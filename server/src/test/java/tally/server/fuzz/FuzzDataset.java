package tally.server.fuzz;

import org.xerial.snappy.Snappy;
import tally.server.remotewrite.WriteRequestBuilder;
import tally.server.testing.TestServer;

import java.net.http.HttpResponse;
import java.util.List;

/**
 * The small fixed dataset the PromQL engine is fuzzed over, next to the recorded Claude Code exports: counters with
 * a reset, gauges with NaN and a stale marker, a classic histogram, label values of 100 and 5,000 characters; 15 s samples from {@link #START_MS} to
 * {@link #END_MS}; and the names, labels and values the PromQL generator draws from.
 */
final class FuzzDataset {
    static final long START_MS = SyntheticOtlp.T0_MS - 3_600_000L;
    static final long END_MS = SyntheticOtlp.T0_MS + 7_200_000L;
    private static final long STEP_MS = 15_000;

    static final List<String> METRICS = List.of("fuzz_counter", "fuzz_gauge", "fuzz_hist_bucket", "fuzz_hist_sum", "fuzz_hist_count", "fuzz_long",
            "claude_code_cost_usage_USD_total", "claude_code_token_usage_tokens_total", "claude_code_active_time_seconds_total",
            "no_such_metric");
    static final List<String> LABELS = List.of("job", "instance", "code", "le", "model", "type", "session_id", "__name__", "note", "nope");
    static final List<String> VALUES = List.of("a", "b", "i1", "i2", "200", "500", "0.1", "1", "10", "+Inf", "claude-code", "input",
            "output", "cacheRead", "fuzz_counter", "");

    private FuzzDataset() {}

    /** Writes the dataset through remote-write (one request per metric family). */
    static void load(TestServer s) throws Exception {
        WriteRequestBuilder counters = new WriteRequestBuilder();
        for (String job : List.of("a", "b")) {
            for (String instance : List.of("i1", "i2")) {
                for (String code : List.of("200", "500")) {
                    WriteRequestBuilder.Series series = counters.series("__name__", "fuzz_counter", "code", code, "instance", instance, "job", job);
                    double v = 0;
                    for (long t = START_MS; t <= END_MS; t += STEP_MS) {
                        v = t == SyntheticOtlp.T0_MS ? 0 : v + (code.equals("200") ? 3 : 0.25); // a counter reset at T0
                        series.sample(t, v);
                    }
                    series.done();
                }
            }
        }
        send(s, counters);
        WriteRequestBuilder gauges = new WriteRequestBuilder();
        for (String job : List.of("a", "b")) {
            for (String instance : List.of("i1", "i2")) {
                WriteRequestBuilder.Series series = gauges.series("__name__", "fuzz_gauge", "instance", instance, "job", job);
                long end = instance.equals("i2") && job.equals("b") ? SyntheticOtlp.T0_MS : END_MS;
                int i = 0;
                for (long t = START_MS; t <= end; t += STEP_MS, i++) series.sample(t, i % 50 == 49 ? Double.NaN : Math.sin(i / 20.0) * 10);
                if (end < END_MS) series.sample(end + STEP_MS, Double.longBitsToDouble(0x7ff0000000000002L)); // stale: the series ends
                series.done();
            }
        }
        send(s, gauges);
        WriteRequestBuilder histogram = new WriteRequestBuilder();
        String[] les = {"0.1", "1", "10", "+Inf"};
        double[] shares = {0.2, 0.7, 0.95, 1};
        for (int b = 0; b < les.length; b++) {
            WriteRequestBuilder.Series series = histogram.series("__name__", "fuzz_hist_bucket", "job", "a", "le", les[b]);
            int i = 0;
            for (long t = START_MS; t <= END_MS; t += STEP_MS, i++) series.sample(t, Math.floor(i * 10 * shares[b]));
            series.done();
        }
        WriteRequestBuilder.Series sum = histogram.series("__name__", "fuzz_hist_sum", "job", "a");
        WriteRequestBuilder.Series count = histogram.series("__name__", "fuzz_hist_count", "job", "a");
        int i = 0;
        for (long t = START_MS; t <= END_MS; t += STEP_MS, i++) {
            sum.sample(t, i * 23.5);
            count.sample(t, i * 10);
        }
        sum.done();
        count.done();
        send(s, histogram);
        WriteRequestBuilder longValues = new WriteRequestBuilder(); // what backtracking regexes choke on
        longValues.series("__name__", "fuzz_long", "job", "a", "note", "ab".repeat(2500)).sample(SyntheticOtlp.T0_MS, 1).done();
        longValues.series("__name__", "fuzz_long", "job", "b", "note", "a".repeat(100)).sample(SyntheticOtlp.T0_MS, 2).done();
        send(s, longValues);
    }

    private static void send(TestServer s, WriteRequestBuilder b) throws Exception {
        HttpResponse<byte[]> r = s.post(s.webUrl("/api/v1/write"), "application/x-protobuf", "snappy", Snappy.compress(b.bytes()));
        if (r.statusCode() != 204) throw new AssertionError("dataset write refused: " + r.statusCode() + " " + new String(r.body()));
    }
}
