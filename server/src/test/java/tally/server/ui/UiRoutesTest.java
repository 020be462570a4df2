package tally.server.ui;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.server.testing.TestServer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The page's files over HTTP: content types, ETag revalidation, gzip, cache policy, no escape from the folder, auth. */
class UiRoutesTest {
    /** bcrypt of "s3cret" (htpasswd's $2y$), as in the web config tests. */
    private static final String S3CRET_HASH = "$2y$10$MuOF/zUVE6hS3gyLvfdONeU5Qi70lT9Xx5FtzvYprA9G1P75NTvYG";

    @TempDir
    Path dir;

    private static HttpResponse<byte[]> get(TestServer s, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.webUrl(path))).timeout(Duration.ofSeconds(20)).GET();
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return s.client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    @Test
    void servesEveryViewAndFileWithItsTypeAndCachePolicy() throws Exception {
        try (TestServer s = new TestServer()) {
            for (String page : UiRoutes.PAGES) {
                HttpResponse<byte[]> r = get(s, page);
                assertEquals(200, r.statusCode(), page);
                assertEquals("text/html; charset=utf-8", header(r, "Content-Type"), page);
                assertEquals("no-cache", header(r, "Cache-Control"), page + ": revalidated by ETag on every load");
                assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("ui/js/main.js"), page);
            }
            String index = new String(get(s, "/").body(), StandardCharsets.UTF_8);
            // every file index.html names is served, with the right type (a module served as text/plain does not run)
            Matcher m = Pattern.compile("(?:href|src)=\"(ui/[^\"]+)\"").matcher(index);
            int files = 0;
            while (m.find()) {
                String path = "/" + m.group(1);
                HttpResponse<byte[]> r = get(s, path);
                assertEquals(200, r.statusCode(), path);
                String type = header(r, "Content-Type");
                if (path.endsWith(".js")) assertEquals("text/javascript; charset=utf-8", type, path);
                if (path.endsWith(".css")) assertEquals("text/css; charset=utf-8", type, path);
                if (path.contains("/vendor/")) assertEquals("public, max-age=31536000, immutable", header(r, "Cache-Control"), path);
                files++;
            }
            assertEquals(5, files, "icon, two stylesheets, uPlot and main.js");
            assertTrue(index.contains("ui/vendor/uplot/" + UiRoutes.UPLOT_VERSION + "/"), "index.html names the WebJar's version");
            for (String js : List.of("api", "chart", "format", "main", "overview", "panels", "query", "range", "status", "toolbar")) {
                HttpResponse<byte[]> r = get(s, "/ui/js/" + js + ".js");
                assertEquals(200, r.statusCode(), js);
                assertEquals("nosniff", header(r, "X-Content-Type-Options"));
            }
            assertEquals("application/json", header(get(s, "/ui/panels.json"), "Content-Type"));
            assertEquals(200, get(s, "/ui/claude-code-usage.json").statusCode(), "the Grafana dashboard ships in the jar");
        }
    }

    @Test
    void theStartUpLineNamesThePage() throws Exception {
        try (TestServer s = new TestServer()) {
            assertEquals(s.webUrl("/"), s.server.pageUrl());
            assertEquals(200, get(s, java.net.URI.create(s.server.pageUrl()).getPath()).statusCode());
        }
    }

    @Test
    void revalidatesByEtagAndGzipsWhenAsked() throws Exception {
        try (TestServer s = new TestServer()) {
            HttpResponse<byte[]> plain = get(s, "/ui/js/overview.js");
            String etag = header(plain, "ETag");
            assertNotNull(etag);
            assertEquals(null, header(plain, "Content-Encoding"), "no gzip unless asked");
            assertEquals("Accept-Encoding", header(plain, "Vary"));

            HttpResponse<byte[]> again = get(s, "/ui/js/overview.js", "If-None-Match", etag);
            assertEquals(304, again.statusCode());
            assertEquals(0, again.body().length);
            assertEquals(etag, header(again, "ETag"));
            assertEquals(200, get(s, "/ui/js/overview.js", "If-None-Match", "\"other\"").statusCode());

            HttpResponse<byte[]> gz = get(s, "/ui/js/overview.js", "Accept-Encoding", "gzip, deflate, br");
            assertEquals("gzip", header(gz, "Content-Encoding"));
            assertTrue(gz.body().length < plain.body().length / 2, "compressed");
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz.body()))) {
                assertArrayEquals(plain.body(), in.readAllBytes());
            }
            assertEquals(null, header(get(s, "/ui/js/overview.js", "Accept-Encoding", "gzip;q=0"), "Content-Encoding"));
            assertEquals(null, Asset.of("tiny.js", "x".getBytes(StandardCharsets.UTF_8)).gzipped(),
                    "a file gzip does not shrink is sent as it is");
        }
    }

    @Test
    void refusesNamesOutsideTheFolder() throws Exception {
        try (TestServer s = new TestServer()) {
            for (String path : List.of("/ui/", "/ui/../tally/ui/index.html", "/ui/js/../../META-INF/MANIFEST.MF", "/ui/nope.js",
                    "/ui/vendor/uplot/" + UiRoutes.UPLOT_VERSION + "/../package.json", "/ui//index.html")) {
                assertEquals(404, get(s, path).statusCode(), path);
            }
            AssetStore store = new AssetStore("tally/ui");
            for (int i = 0; i < 100; i++) assertTrue(store.get("missing-" + i + ".js").isEmpty());
            assertEquals(0, store.cached(), "misses are not kept");
            assertTrue(store.get("app.css").isPresent());
            assertEquals(1, store.cached());
            assertFalse(AssetStore.safe("a/../b"));
            assertFalse(AssetStore.safe("/etc/passwd"));
            assertTrue(AssetStore.safe("js/main.js"));
        }
    }

    @Test
    void thePageAsksForTheSameCredentialsAsTheApi() throws Exception {
        Path f = dir.resolve("web.yml");
        Files.writeString(f, "basic_auth_users:\n  alice: " + S3CRET_HASH + "\n");
        String alice = "Basic " + Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8));
        try (TestServer s = new TestServer(c -> c.webConfigFile = f.toString())) {
            for (String path : List.of("/", "/query", "/ui/js/main.js", "/ui/vendor/uplot/" + UiRoutes.UPLOT_VERSION + "/uPlot.iife.min.js")) {
                HttpResponse<byte[]> r = get(s, path);
                assertEquals(401, r.statusCode(), path);
                assertEquals("Basic", header(r, "WWW-Authenticate"), path + ": the browser asks for a user and password");
                assertEquals(200, get(s, path, "Authorization", alice).statusCode(), path);
            }
        }
    }

    /** Every panel of panels.json names exactly one query of the Grafana dashboard, or carries its own. */
    @Test
    void everyPanelRunsAQueryOfTheGrafanaDashboard() throws IOException {
        JsonObject spec = resource("tally/ui/panels.json");
        JsonArray dash = resource("tally/ui/claude-code-usage.json").getAsJsonArray("panels");
        int fromDashboard = 0, own = 0;
        for (JsonElement section : spec.getAsJsonArray("sections")) {
            for (JsonElement p : section.getAsJsonObject().getAsJsonArray("panels")) {
                for (JsonElement qe : p.getAsJsonObject().getAsJsonArray("queries")) {
                    JsonObject q = qe.getAsJsonObject();
                    if (!q.has("dash")) {
                        assertTrue(q.has("expr"), q.toString());
                        own++;
                        continue;
                    }
                    int matches = 0;
                    for (JsonElement de : dash) {
                        JsonObject d = de.getAsJsonObject();
                        if (d.get("type").getAsString().equals("row") || !d.get("title").getAsString().equals(q.get("dash").getAsString())) continue;
                        if (q.has("type") && !d.get("type").getAsString().equals(q.get("type").getAsString())) continue;
                        for (JsonElement t : d.getAsJsonArray("targets")) {
                            if (t.getAsJsonObject().get("refId").getAsString().equals(q.get("ref").getAsString())) matches++;
                        }
                    }
                    assertEquals(1, matches, q.toString());
                    fromDashboard++;
                }
            }
        }
        assertTrue(fromDashboard >= 40, "most of the page is the dashboard's: " + fromDashboard);
        assertTrue(own <= 8, "the page's own queries stay few: " + own);
    }

    private static JsonObject resource(String name) throws IOException {
        try (InputStream in = UiRoutesTest.class.getClassLoader().getResourceAsStream(name)) {
            assertNotNull(in, name);
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }
}
