package tally.bench.soak;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tally.server.grafana.DashboardQueries;
import tally.server.grafana.GrafanaVariables;

/**
 * A Grafana user with the Claude Code dashboard open over the last 30 minutes, refreshing every ~5 s: each
 * round sends every panel query and variable lookup the dashboard makes (the same list bench's PanelQueries
 * uses, from tally.server.grafana.DashboardQueries), as query_range with a 30 s step.
 */
final class DashboardReader extends Thread {
    record Failure(long t, String query, int code, String text) {}

    private static final long RANGE_S = 1800, STEP_S = 30;

    private final TallyProcess tally;
    private final List<DashboardQueries.Query> queries;
    private final long everyMs;
    private final List<Long> latenciesUs = new ArrayList<>();
    private final List<Failure> failures = new ArrayList<>();
    private volatile boolean running = true;
    int rounds;

    DashboardReader(TallyProcess tally, Path dashboard, long everyMs) {
        super("soak-dashboard");
        setDaemon(true);
        this.tally = tally;
        this.everyMs = everyMs;
        this.queries = DashboardQueries.of(DashboardQueries.read(dashboard), new GrafanaVariables(RANGE_S, STEP_S, 30, Map.of()));
    }

    int queryCount() {
        return queries.size();
    }

    void shutdown() {
        running = false;
    }

    synchronized List<Long> latenciesUs() {
        return new ArrayList<>(latenciesUs);
    }

    synchronized List<Failure> failures() {
        return new ArrayList<>(failures);
    }

    @Override
    public void run() {
        try {
            while (running) {
                long start = System.currentTimeMillis();
                long end = start / 1000;
                for (DashboardQueries.Query q : queries) {
                    if (!running) break;
                    String path = switch (q.kind()) {
                        case RANGE -> "/api/v1/query_range?query=" + enc(q.expr()) + "&start=" + ((end - RANGE_S) / STEP_S * STEP_S)
                                + "&end=" + end + "&step=" + STEP_S;
                        case INSTANT -> "/api/v1/query?query=" + enc(q.expr()) + "&time=" + end;
                        case LABEL_VALUES -> "/api/v1/label/" + q.refId() + "/values?match[]=" + enc(q.expr())
                                + "&start=" + (end - RANGE_S) + "&end=" + end;
                    };
                    one(q.panelTitle() + " [" + q.refId() + "]", path);
                }
                rounds++;
                Thread.sleep(Math.max(1_000, everyMs - (System.currentTimeMillis() - start)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void one(String name, String path) throws InterruptedException {
        long t0 = System.nanoTime();
        int code;
        String text;
        try {
            HttpResponse<String> r = Sender.HTTP.send(HttpRequest.newBuilder(URI.create(tally.url(path))).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            code = r.statusCode();
            text = r.body();
        } catch (java.io.IOException e) {
            code = -1;
            text = e.toString();
        }
        long us = (System.nanoTime() - t0) / 1000;
        synchronized (this) {
            if (code == 200) latenciesUs.add(us);
            else failures.add(new Failure(System.currentTimeMillis(), name, code, text.length() > 300 ? text.substring(0, 300) : text));
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
