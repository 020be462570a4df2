package tally.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.model.Appender;
import tally.model.Labels;
import tally.model.MetricMetadata;
import tally.promql.engine.EngineOptions;
import tally.storage.TallyStorage;

/** The query API's JSON, byte for byte as Prometheus writes it, over the real storage and engine. */
class QueryApiTest {
    @TempDir
    Path dir;
    TallyStorage storage;
    QueryApi query;
    SeriesApi series;
    StatusApi status;

    @BeforeEach
    void open() throws Exception {
        storage = TallyStorage.open(dir);
        query = new QueryApi(storage, EngineOptions.defaults(), () -> 100_000L, null);
        series = new SeriesApi(storage);
        status = new StatusApi(storage, Map.of("storage.path", dir.toString()), dir.toString(), () -> 100_000L);
        Appender a = storage.appender();
        for (int i = 0; i <= 10; i++) {
            a.append(0, Labels.of("__name__", "tokens_total", "model", "opus", "type", "input"), i * 15_000L, i * 10);
            a.append(0, Labels.of("__name__", "tokens_total", "model", "sonnet", "type", "output"), i * 15_000L, i * 2.5);
        }
        a.append(0, Labels.of("__name__", "odd", "a.b", "x"), 1000, Double.NaN);
        a.commit();
        storage.putMetadata("tokens_total", new MetricMetadata("counter", "Tokens used", "tokens"));
    }

    @AfterEach
    void close() {
        storage.close();
    }

    private static ApiParams params(String... kv) {
        Map<String, List<String>> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.computeIfAbsent(kv[i], k -> new java.util.ArrayList<>()).add(kv[i + 1]);
        return new ApiParams(m);
    }

    private static String body(ApiResponse r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static ApiResponse rangeQuery(QueryApi api, String q, String start, String end, String step) {
        return api.queryRange(params("query", q, "start", start, "end", end, "step", step));
    }

    @Test
    void grafanaSaveAndTest() {
        ApiResponse r = query.query(params("query", "1+1", "time", "4"));
        assertEquals(200, r.status());
        assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[4,\"2\"]}}", body(r));
    }

    @Test
    void instantVector() {
        ApiResponse r = query.query(params("query", "tokens_total{model=\"opus\"}", "time", "150.5"));
        assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":"
                + "{\"__name__\":\"tokens_total\",\"model\":\"opus\",\"type\":\"input\"},\"value\":[150.5,\"100\"]}]}}", body(r));
    }

    @Test
    void rangeMatrixWithRfc3339Times() {
        ApiResponse r = rangeQuery(query, "sum(tokens_total)", "1970-01-01T00:00:00Z", "30", "15s");
        assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},"
                + "\"values\":[[0,\"0\"],[15,\"12.5\"],[30,\"25\"]]}]}}", body(r));
    }

    @Test
    void specialValuesAndUtf8LabelNames() {
        String b = body(query.query(params("query", "odd", "time", "2")));
        assertTrue(b.contains("\"a.b\":\"x\""), b);
        assertTrue(b.contains("[2,\"NaN\"]"), b);
        assertTrue(body(query.query(params("query", "1/0", "time", "2"))).contains("\"+Inf\""));
        assertTrue(body(query.query(params("query", "-1/0", "time", "2"))).contains("\"-Inf\""));
    }

    @Test
    void errorsUsePrometheusShapeAndStatus() {
        ApiError bad = assertThrows(ApiError.class, () -> query.query(params("query", "sum(", "time", "1")));
        assertEquals(400, bad.status());
        assertEquals("bad_data", bad.errorType());
        assertTrue(bad.getMessage().startsWith("invalid parameter \"query\": "), bad.getMessage());
        String json = body(ApiResponse.error(bad));
        assertTrue(json.startsWith("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter"), json);

        ApiError badTime = assertThrows(ApiError.class, () -> query.query(params("query", "1", "time", "yesterday")));
        assertEquals("invalid parameter \"time\": cannot parse \"yesterday\" to a valid timestamp", badTime.getMessage());
        ApiError order = assertThrows(ApiError.class, () -> rangeQuery(query, "1", "10", "5", "1"));
        assertEquals("end timestamp must not be before start time", order.getMessage());
        ApiError step = assertThrows(ApiError.class, () -> rangeQuery(query, "1", "0", "5", "0"));
        assertTrue(step.getMessage().startsWith("zero or negative query resolution step widths"));
        ApiError points = assertThrows(ApiError.class, () -> rangeQuery(query, "1", "0", "100000", "1"));
        assertTrue(points.getMessage().startsWith("exceeded maximum resolution of 11,000 points"));
        ApiError exec = assertThrows(ApiError.class, () -> query.query(params("query", "tokens_total + ignoring(model, type) tokens_total", "time", "100")));
        assertEquals(422, exec.status());
        assertEquals("execution", exec.errorType());
    }

    /** Prometheus's query_range checks, each once, in its order: start, end, end before start, step, step > 0, points. */
    @Test
    void rangeParametersCheckedInPrometheusOrder() {
        String[][] cases = {
                {"x", "5", "1", "invalid parameter \"start\": cannot parse \"x\" to a valid timestamp"},
                {"0", "", "1", "invalid parameter \"end\": cannot parse \"\" to a valid timestamp"},
                {"10", "5", "nope", "end timestamp must not be before start time"},
                {"0", "5", "nope", "invalid parameter \"step\": cannot parse \"nope\" to a valid duration"},
                {"0", "5", "-1", "zero or negative query resolution step widths are not accepted. Try a positive integer"},
                {"0", "11001", "1", "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)"},
        };
        for (String[] c : cases) {
            ApiError e = assertThrows(ApiError.class, () -> query.queryRange(params("query", "1 +", "start", c[0], "end", c[1], "step", c[2])));
            assertEquals(c[3], e.getMessage(), String.join(" ", c));
            assertEquals(400, e.status());
            assertEquals("bad_data", e.errorType());
        }
        ApiError badQuery = assertThrows(ApiError.class, () -> rangeQuery(query, "1 +", "0", "11000", "1"));
        assertTrue(badQuery.getMessage().startsWith("invalid parameter \"query\": "), badQuery.getMessage());
        assertEquals(200, rangeQuery(query, "tokens_total", "0", "11000", "1").status(), "11,000 steps are allowed");
    }

    @Test
    void limitTruncatesWithAWarning() {
        String b = body(query.query(params("query", "tokens_total", "time", "100", "limit", "1")));
        assertTrue(b.endsWith(",\"warnings\":[\"results truncated due to limit\"]}"), b);
        assertEquals(1, b.split("\"metric\"").length - 1);
    }

    @Test
    void seriesLabelsAndValues() {
        assertEquals("{\"status\":\"success\",\"data\":[{\"__name__\":\"tokens_total\",\"model\":\"opus\",\"type\":\"input\"}]}",
                body(series.series(params("match[]", "tokens_total{model=\"opus\"}"))));
        assertThrows(ApiError.class, () -> series.series(params()));
        assertEquals("{\"status\":\"success\",\"data\":[\"__name__\",\"a.b\",\"model\",\"type\"]}", body(series.labelNames(params())));
        assertEquals("{\"status\":\"success\",\"data\":[\"__name__\",\"model\",\"type\"]}",
                body(series.labelNames(params("match[]", "tokens_total"))));
        assertEquals("{\"status\":\"success\",\"data\":[\"opus\",\"sonnet\"]}",
                body(series.labelValues("model", params("match[]", "tokens_total", "start", "0", "end", "200"))));
        assertEquals("{\"status\":\"success\",\"data\":[\"x\"]}", body(series.labelValues("U__a_2e_b", params())));
        assertEquals("{\"status\":\"success\",\"data\":[]}",
                body(series.labelValues("model", params("start", "5000", "end", "6000"))), "outside the time range");
    }

    @Test
    void metadataAndStatus() {
        assertEquals("{\"status\":\"success\",\"data\":{\"tokens_total\":[{\"type\":\"counter\",\"help\":\"Tokens used\",\"unit\":\"tokens\"}]}}",
                body(series.metadata(params())));
        String build = body(status.buildInfo());
        assertTrue(build.contains("\"version\":\"3.5.0\""), build);
        assertFalse(build.contains("features"), "a features map makes Grafana treat the server as Mimir");
        assertEquals("{\"status\":\"success\",\"data\":{\"groups\":[]}}", body(new RulesApi(java.util.List::of).rules(params())));
        assertEquals("{\"status\":\"success\",\"data\":[]}", body(status.exemplars()));
        String tsdb = body(status.tsdb(params()));
        assertTrue(tsdb.contains("\"seriesCountByMetricName\":[{\"name\":\"tokens_total\",\"value\":2}"), tsdb);
    }

    @Test
    void formatQuery() {
        assertEquals("{\"status\":\"success\",\"data\":\"sum by (model) (rate(tokens_total[5m]))\"}",
                body(query.formatQuery(params("query", "sum(rate(tokens_total[5m])) by (model)"))));
    }

    @Test
    void numbersFormatLikeGo() {
        assertEquals("0.1", JsonOut.formatValue(0.1));
        assertEquals("1000000000000000000000", JsonOut.formatValue(1e21));
        assertEquals("0.000001", JsonOut.formatValue(1e-6));
        assertEquals("-0", JsonOut.formatValue(-0.0));
        assertEquals("123456789012345680000", JsonOut.formatValue(1.2345678901234568e20));
        assertEquals("1.5", new String(new JsonOut().timestamp(1500).toBytes(), StandardCharsets.UTF_8));
        assertEquals("1.05", new String(new JsonOut().timestamp(1050).toBytes(), StandardCharsets.UTF_8));
        assertEquals("-1.5", new String(new JsonOut().timestamp(-1500).toBytes(), StandardCharsets.UTF_8));
    }
}
