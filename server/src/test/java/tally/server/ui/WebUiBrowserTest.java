package tally.server.ui;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import tally.server.testing.PromApi;
import tally.server.testing.RemoteWriteEncoder;
import tally.server.testing.TestServer;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built-in page in a real browser (headless Chromium) over the recorded Claude Code sessions, sent to Tally as
 * Claude Code sent them (OTLP metrics and events). Screenshots land in server/target/ui-screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiBrowserTest {
    /**
     * Panels the recordings cannot fill, each for a reason in the data: no user ever typed during the recorded sessions
     * (user active time is 0, so the ratio of CLI to user time has no value); each session's API errors were counted
     * once per status code, one sample per series, from which rate() draws nothing.
     */
    static final Set<String> EMPTY_IN_RECORDINGS = Set.of("productivity", "api-errors-by-status");

    private TestServer server;
    private RecordedClaudeCode data;
    private Browser browser;
    private PromApi api;

    @BeforeAll
    void start() throws Exception {
        browser = Browser.startOrSkip();
        server = new TestServer();
        data = RecordedClaudeCode.sendTo(server);
        api = new PromApi(server.webUrl(""));
    }

    @AfterAll
    void stop() {
        if (browser != null) browser.close();
        if (server != null) server.close();
    }

    @AfterEach
    void consoleIsClean() {
        if (browser == null) return;
        List<String> problems = browser.consoleProblems();
        assertTrue(problems.isEmpty(), "browser console: " + problems);
    }

    @Test
    void everyPanelShowsTheApisNumbers() throws Exception {
        browser.open(data.page(server.webUrl(""), "/"));
        List<OverviewPanels.Panel> panels = OverviewPanels.read(browser, 1);
        browser.screenshot("overview");
        assertTrue(panels.size() >= 40, "panels shown: " + panels.size());
        Set<String> empty = new TreeSet<>();
        List<String> wrong = new ArrayList<>();
        for (OverviewPanels.Panel p : panels) {
            assertFalse(p.queries().isEmpty(), p.id());
            if (p.state().equals("empty")) empty.add(p.id());
            assertTrue(p.state().equals("ok") || p.state().equals("empty"), p.id() + " is " + p.state() + ": " + p.text());
            OverviewPanels.Answer a = OverviewPanels.ask(api, p);
            switch (p.kind()) {
                case "stat" -> {
                    if (a.values().isEmpty()) {
                        if (!p.state().equals("empty") || !p.text().contains("no data")) wrong.add(p.id() + ": API has no data, page shows " + p.text());
                    } else if (!p.values().equals(List.of(a.values().get(0)))) {
                        wrong.add(p.id() + ": page " + p.values() + " API " + a.values());
                    }
                }
                case "bars", "table" -> {
                    List<Double> expected = new ArrayList<>(a.values());
                    if (p.kind().equals("bars")) expected.removeIf(v -> v.isNaN()); // a bar of NaN is left out
                    expected.sort(Double::compare);
                    List<Double> shown = new ArrayList<>(p.values());
                    shown.sort(Double::compare);
                    if (!shown.equals(expected)) wrong.add(p.id() + ": page " + shown + " API " + expected);
                }
                case "chart" -> {
                    if (p.series() != a.series() || p.points() != a.points()) {
                        wrong.add(p.id() + ": page " + p.series() + " series/" + p.points() + " points, API " + a.series() + "/" + a.points());
                    }
                }
                default -> wrong.add(p.id() + ": unknown kind " + p.kind());
            }
            if (p.state().equals("ok")) assertFalse(p.text().isBlank(), p.id());
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        assertEquals(EMPTY_IN_RECORDINGS, empty, "panels without data");

        // the bench's Java list of the page's requests (PageQueries) is what the page sent
        List<String> sent = new ArrayList<>();
        for (OverviewPanels.Panel p : panels) {
            p.queries().forEach(e -> {
                com.google.gson.JsonObject q = e.getAsJsonObject();
                sent.add(p.id() + " " + q.get("expr").getAsString() + (q.has("step")
                        ? " " + q.get("start").getAsLong() + ".." + q.get("end").getAsLong() + "/" + q.get("step").getAsLong()
                        : " @" + q.get("time").getAsLong()));
            });
        }
        List<String> java = PageQueries.of(data.fromS, data.toS, true).stream().map(r -> r.panel() + " " + r.expr()
                + (r.range() ? " " + r.start() + ".." + r.end() + "/" + r.step() : " @" + r.time())).toList();
        assertEquals(java, sent);

        // human formatting: USD, k/M tokens, durations, percentages
        assertTrue(text("cost").matches("\\$\\d+\\.\\d\\d"), text("cost"));
        assertTrue(text("tokens").matches("[\\d.]+[kM]"), text("tokens"));
        assertTrue(text("active-time").matches("[\\d.]+s|\\d+m \\d\\ds"), text("active-time"));
        assertTrue(text("cache-efficiency").matches("[\\d.]+%"), text("cache-efficiency"));
        assertEquals("", browser.find("#empty").getAttribute("hidden") == null ? "shown" : "", "no empty state over data");
        assertTrue(browser.find("[data-section='API requests and tools (from events)']").isDisplayed(), "the events exist: their panels show");
    }

    @Test
    void theRangePickerChangesTheQueries() throws Exception {
        browser.open(server.webUrl("/?range=1h&refresh=off"));
        OverviewPanels.read(browser, 1);
        String before = costQuery();
        assertTrue(before.contains("[3600s]"), before);
        browser.find("button[data-range='7d']").click();
        OverviewPanels.read(browser, 2);
        String after = costQuery();
        assertTrue(after.contains("[604800s]"), after);
        assertTrue(browser.driver.getCurrentUrl().contains("range=7d"), browser.driver.getCurrentUrl());
        assertTrue(browser.find("button[data-range='7d']").getAttribute("class").contains("on"));

        // custom: the two inputs, then apply; the query is evaluated at the range's end and spans it
        browser.find("button[data-range='custom']").click();
        setInput("[data-custom=from]", data.fromS);
        setInput("[data-custom=to]", data.toS);
        browser.find("[data-custom=apply]").click();
        List<OverviewPanels.Panel> panels = OverviewPanels.read(browser, 3);
        String custom = costQuery();
        assertTrue(custom.contains("[" + (data.toS - data.fromS) + "s]"), custom);
        OverviewPanels.Panel cost = panels.stream().filter(p -> p.id().equals("cost")).findFirst().orElseThrow();
        assertEquals(data.toS, cost.queries().get(0).getAsJsonObject().get("time").getAsLong());
        assertTrue(cost.values().get(0) > 0, "the recorded sessions cost something: " + cost.values());
        String url = URLDecoder.decode(browser.driver.getCurrentUrl(), StandardCharsets.UTF_8);
        assertTrue(url.contains("from=") && url.contains("to="), url);
        browser.screenshot("overview-custom-range");

        // the URL is the state: opening it again shows the same range
        browser.open(browser.driver.getCurrentUrl());
        OverviewPanels.read(browser, 1);
        assertEquals(custom, costQuery());
    }

    @Test
    void theLayoutPaintsBeforeAnyDataArrives() throws Exception {
        // every API answer held back 4 s: the panels' titles are on screen, waiting, before the first number
        try (PrometheusPageProxy slow = new PrometheusPageProxy(server.webUrl(""), server.webUrl(""), 4000)) {
            long t0 = System.nanoTime();
            browser.open(data.page(slow.url(""), "/"));
            browser.await("the panels' layout", d -> browser.all("[data-panel='cost'] h3").isEmpty() ? null : true);
            long paintedMs = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(paintedMs < 3500, "laid out in " + paintedMs + " ms, before the API answered");
            assertEquals("loading", browser.find("[data-panel='cost']").getAttribute("data-state"));
            assertEquals("Cost", browser.find("[data-panel='cost'] h3").getText());
            assertTrue(browser.find("[data-panel='cost']").isDisplayed(), "on screen");
            browser.screenshot("overview-first-paint");
            List<OverviewPanels.Panel> panels = OverviewPanels.read(browser, 1);
            assertTrue(panels.stream().anyMatch(p -> p.id().equals("cost") && p.state().equals("ok")), "then the data");
        }
    }

    @Test
    void autoRefreshRunsTheQueriesAgainForARelativeRange() {
        browser.open(server.webUrl("/?range=1h&refresh=30s"));
        OverviewPanels.read(browser, 1);
        long first = browser.find("[data-panel='cost']").getAttribute("data-queries").length() > 0
                ? com.google.gson.JsonParser.parseString(costQuery()).getAsJsonArray().get(0).getAsJsonObject().get("time").getAsLong() : 0;
        OverviewPanels.read(browser, 2); // the refresh after 30 s
        long second = com.google.gson.JsonParser.parseString(costQuery()).getAsJsonArray().get(0).getAsJsonObject().get("time").getAsLong();
        assertTrue(second >= first + 29, "the range moved with the clock: " + first + " -> " + second);
        assertEquals("30s", new org.openqa.selenium.support.ui.Select(browser.find("select[data-refresh]")).getFirstSelectedOption().getAttribute("value"));
    }

    @Test
    void queryPageDrawsTheGraphAndTheTable() throws Exception {
        String expr = "sum by (model) (claude_code_cost_usage_USD_total)";
        browser.open(data.page(server.webUrl(""), "/query") + "&expr=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
        browser.await("the table", d -> browser.find("#table").getAttribute("data-rows"));
        PromApi.Reply inst = api.query(expr, data.toS);
        int rows = inst.data().getAsJsonObject().getAsJsonArray("result").size();
        assertTrue(rows >= 2, "several models: " + rows);
        assertEquals(String.valueOf(rows), browser.find("#table").getAttribute("data-rows"));
        assertEquals(String.valueOf(rows), browser.find("#graph").getAttribute("data-series"));
        assertTrue(Integer.parseInt(browser.find("#graph").getAttribute("data-points")) > rows, "lines, not dots");
        assertFalse(browser.all("#graph canvas").isEmpty(), "uPlot drew");
        List<String> shown = new ArrayList<>();
        for (WebElement td : browser.all("#table td[data-value]")) shown.add(td.getAttribute("data-value"));
        List<String> expected = new ArrayList<>();
        inst.data().getAsJsonObject().getAsJsonArray("result").forEach(s -> expected.add(s.getAsJsonObject().getAsJsonArray("value").get(1).getAsString()));
        shown.sort(null);
        expected.sort(null);
        assertEquals(expected, shown, "the table holds the API's values as it wrote them");
        browser.screenshot("query");

        // typing a new query and running it updates the URL: the address shares the result
        WebElement box = browser.find("#expr");
        box.clear();
        box.sendKeys("count(claude_code_token_usage_tokens_total)");
        box.sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));
        browser.await("one row", d -> "1".equals(browser.find("#table").getAttribute("data-rows")) ? true : null);
        String url = URLDecoder.decode(browser.driver.getCurrentUrl().replace("+", "%2B"), StandardCharsets.UTF_8);
        assertTrue(url.contains("expr=count(claude_code_token_usage_tokens_total)"), url);
    }

    @Test
    void anInvalidQueryShowsTheApisError() throws Exception {
        String bad = "sum(rate(claude_code_cost_usage_USD_total[5m])";
        browser.open(data.page(server.webUrl(""), "/query"));
        browser.await("the query page", d -> browser.find("#expr"));
        browser.find("#expr").sendKeys(bad);
        browser.find("#run").click();
        WebElement err = browser.await("the error", d -> browser.find("#query-error").isDisplayed() ? browser.find("#query-error") : null);
        PromApi.Reply r = api.query(bad, data.toS);
        assertEquals(400, r.status());
        String apiError = r.json().getAsJsonObject().get("errorType").getAsString() + ": " + r.json().getAsJsonObject().get("error").getAsString();
        assertEquals(apiError, err.getText());
        assertEquals("400", err.getAttribute("data-status"));
        browser.screenshot("query-error");
        assertBadRequestOnlyInConsole();
    }

    /** The browser logs a failed fetch (the 400 of the invalid query) as an error; that one is expected, nothing else. */
    private void assertBadRequestOnlyInConsole() {
        List<String> problems = browser.consoleProblems();
        problems.removeIf(p -> p.contains("/api/v1/query") && p.contains("400"));
        assertTrue(problems.isEmpty(), "browser console: " + problems);
    }

    @Test
    void statusPagesShowBuildFlagsCardinalityRulesAndAlerts() throws Exception {
        browser.open(server.webUrl("/status"));
        browser.await("build info", d -> browser.find("#view").getAttribute("data-state"));
        String version = api.get("/api/v1/status/buildinfo").data().getAsJsonObject().get("version").getAsString();
        assertEquals(version, browser.find("#buildinfo td[data-key=version]").getText());
        assertTrue(browser.find("#flags").getText().contains("storage.tsdb.path") || browser.find("#flags").getText().contains("storage.path"),
                browser.find("#flags").getText());
        browser.screenshot("status");

        // TSDB status covers the last day, later than the recordings: one current series to show
        Map<Map<String, String>, NavigableMap<Long, Double>> now = Map.of(Map.of("__name__", "ui_test_current", "job", "t"),
                new TreeMap<>(Map.of(System.currentTimeMillis() - 1000, 1.0)));
        assertEquals(204, api.post("/api/v1/write", "application/x-protobuf", "snappy", RemoteWriteEncoder.encode(now)).status());
        browser.open(server.webUrl("/tsdb-status"));
        browser.await("tsdb status", d -> browser.find("#view").getAttribute("data-state"));
        String numSeries = api.get("/api/v1/status/tsdb").data().getAsJsonObject().getAsJsonObject("headStats").get("numSeries").getAsString();
        assertTrue(browser.find("#head-stats").getText().contains(numSeries), browser.find("#head-stats").getText());
        assertTrue(browser.find("#top-metrics").getText().contains("ui_test_current"), browser.find("#top-metrics").getText());
        browser.screenshot("tsdb-status");

        browser.open(server.webUrl("/rules"));
        browser.await("rules", d -> browser.find("#view").getAttribute("data-state"));
        int groups = api.get("/api/v1/rules").data().getAsJsonObject().getAsJsonArray("groups").size();
        assertTrue(groups > 0, "the built-in Claude Code rules are on by default");
        assertEquals(groups, browser.all("[data-group]").size());
        browser.screenshot("rules");

        browser.open(server.webUrl("/alerts"));
        browser.await("alerts", d -> browser.find("#view").getAttribute("data-state"));
        assertTrue(browser.find("#alert-rules").getText().contains("ClaudeCodeHighCost"), browser.find("#alert-rules").getText());
        browser.screenshot("alerts");
    }

    @Test
    void anEmptyServerSaysHowToPointClaudeCodeAtIt() throws Exception {
        int port = tally.server.testing.TallyProcess.freePort();
        try (TestServer empty = new TestServer(c -> c.otlpListenAddress = new java.net.InetSocketAddress("127.0.0.1", port))) {
            browser.open(empty.webUrl("/"));
            WebElement box = browser.await("the empty state", d -> browser.find("#empty").isDisplayed() ? browser.find("#empty") : null);
            assertTrue(box.getText().contains("./tally setup-claude"), box.getText());
            // the lines of ./tally setup-claude --shell, with this server's OTLP port
            int otlpPort = java.net.URI.create(empty.otlpUrl("/")).getPort();
            browser.await("the OTLP port", d -> browser.find("#export-lines").getText().contains(":" + otlpPort + "/") ? true : null);
            assertTrue(box.getText().contains("export OTEL_EXPORTER_OTLP_METRICS_ENDPOINT=http://127.0.0.1:" + otlpPort + "/v1/metrics"), box.getText());
            assertTrue(box.getText().contains("export OTEL_EXPORTER_OTLP_LOGS_ENDPOINT=http://127.0.0.1:" + otlpPort + "/v1/logs"), box.getText());
            assertTrue(browser.all("[data-section]").stream().noneMatch(WebElement::isDisplayed), "no empty panels under it");
            browser.screenshot("empty");
        }
    }

    private String text(String panel) {
        return browser.find("[data-panel='" + panel + "'] .body").getText().trim();
    }

    private String costQuery() {
        return browser.find("[data-panel='cost']").getAttribute("data-queries");
    }

    private void setInput(String css, long epochS) {
        // datetime-local takes local wall time; the browser's zone is the JVM's here, so format with the JVM's zone
        String local = java.time.LocalDateTime.ofInstant(java.time.Instant.ofEpochSecond(epochS), java.time.ZoneId.systemDefault()).toString();
        if (local.length() == 16) local += ":00";
        browser.js("const e = document.querySelector(arguments[0]); e.value = arguments[1];", css, local);
        assertNotEquals("", browser.find(css).getAttribute("value"));
    }
}
