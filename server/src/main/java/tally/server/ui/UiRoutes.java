package tally.server.ui;

import io.netty.handler.codec.http.HttpMethod;
import tally.server.http.Router;

import java.util.List;

/**
 * The built-in web page: HTML, CSS and JavaScript modules from {@code tally/ui} on the class path, and uPlot
 * from its WebJar. The page reads only the public Prometheus HTTP API, so it knows nothing of Tally's internals.
 *
 * <p>Caching: our own files may change with every build, so the browser revalidates them by ETag (a 304 costs
 * one small round trip); uPlot's URL carries its version, so it is cached for a year. Authentication is the
 * web port's: the AuthGate in front of the router asks for the same credentials as the API.
 */
public final class UiRoutes {
    /** The uPlot WebJar's version: the {@code uplot.version} of the root pom (a test checks they agree). */
    public static final String UPLOT_VERSION = "1.6.30";
    /** Page paths: each serves its HTML; the page's script picks the view from the path (as Prometheus's UI). */
    public static final List<String> PAGES = List.of("/", "/query", "/status", "/tsdb-status", "/rules", "/alerts");

    static final String REVALIDATE = "no-cache";
    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    private static final String ASSETS = "/ui/";
    private static final String VENDOR = "/ui/vendor/uplot/" + UPLOT_VERSION + "/";

    private UiRoutes() {}

    public static void register(Router router) {
        AssetStore own = new AssetStore("tally/ui");
        AssetStore uplot = new AssetStore("META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/dist");
        AssetHandler html = new AssetHandler(own, r -> "index.html", REVALIDATE);
        for (String page : PAGES) router.add(HttpMethod.GET, page, "ui", html);
        router.addPrefix(HttpMethod.GET, ASSETS, "ui_asset",
                new AssetHandler(own, r -> r.path().substring(ASSETS.length()), REVALIDATE));
        router.addPrefix(HttpMethod.GET, VENDOR, "ui_asset",
                new AssetHandler(uplot, r -> r.path().substring(VENDOR.length()), IMMUTABLE));
    }
}
