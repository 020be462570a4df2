package tally.server.ui;

import tally.server.testing.ClaudeCodePayloads;
import tally.server.testing.TestServer;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The recorded Claude Code sessions (metrics and events) sent to a Tally over OTLP/HTTP, as Claude Code sent them. */
final class RecordedClaudeCode {
    /** Whole seconds around the recorded samples: a custom range of the page that holds all of them. */
    final long fromS, toS;

    private RecordedClaudeCode(long fromS, long toS) {
        this.fromS = fromS;
        this.toS = toS;
    }

    static RecordedClaudeCode sendTo(TestServer s) throws Exception {
        List<ClaudeCodePayloads.Payload> metrics = new ArrayList<>();
        for (String capture : ClaudeCodePayloads.CAPTURES) metrics.addAll(ClaudeCodePayloads.load(capture));
        for (ClaudeCodePayloads.Payload p : metrics) post(s, "/v1/metrics", p);
        for (String capture : ClaudeCodePayloads.LOG_CAPTURES) {
            for (ClaudeCodePayloads.Payload p : ClaudeCodePayloads.loadLogs(capture)) post(s, "/v1/logs", p);
        }
        long[] span = ClaudeCodePayloads.timeSpan(ClaudeCodePayloads.series(metrics));
        // a minute before the first sample, two after the last (inside the 5 m lookback, so an instant query at the end
        // still sees the series): every session's whole life, on whole seconds
        return new RecordedClaudeCode(span[0] / 1000 - 60, span[1] / 1000 + 120);
    }

    private static void post(TestServer s, String path, ClaudeCodePayloads.Payload p) throws Exception {
        HttpResponse<byte[]> r = s.post(s.otlpUrl(path), p.contentType(), p.contentEncoding(), p.wire());
        assertEquals(200, r.statusCode(), p.name() + ": " + new String(r.body()));
    }

    /** The page's address for this range, auto-refresh off (the range is fixed anyway). */
    String page(String base, String path) {
        return base + path + (path.contains("?") ? "&" : "?") + "from=" + fromS + "&to=" + toS + "&refresh=off";
    }
}
