package tally.server.ui;

import io.netty.handler.codec.http.HttpResponseStatus;
import tally.server.http.Handler;
import tally.server.http.Request;
import tally.server.http.Response;

import java.util.function.Function;

/**
 * Answers GET/HEAD for page files: 304 when the browser's ETag still matches, gzip when the browser takes it,
 * and a cache policy per kind of file (see {@link UiRoutes}).
 */
final class AssetHandler implements Handler {
    private final AssetStore store;
    /** The request -> the file's name in the store, or null for 404. */
    private final Function<Request, String> name;
    private final String cacheControl;

    AssetHandler(AssetStore store, Function<Request, String> name, String cacheControl) {
        this.store = store;
        this.name = name;
        this.cacheControl = cacheControl;
    }

    @Override
    public Response handle(Request request) {
        String n = name.apply(request);
        Asset asset = n == null ? null : store.get(n).orElse(null);
        if (asset == null) return Response.text(HttpResponseStatus.NOT_FOUND, "404 page not found");
        if (matches(request.header("If-None-Match"), asset.etag())) {
            return Response.empty(HttpResponseStatus.NOT_MODIFIED).header("ETag", asset.etag()).header("Cache-Control", cacheControl);
        }
        boolean gzip = asset.gzipped() != null && acceptsGzip(request.header("Accept-Encoding"));
        Response r = new Response(HttpResponseStatus.OK, asset.contentType(), gzip ? asset.gzipped() : asset.body())
                .header("ETag", asset.etag())
                .header("Cache-Control", cacheControl)
                .header("X-Content-Type-Options", "nosniff");
        if (asset.gzipped() != null) r.header("Vary", "Accept-Encoding");
        if (gzip) r.header("Content-Encoding", "gzip");
        return r;
    }

    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) return false;
        for (String t : ifNoneMatch.split(",")) {
            String s = t.trim();
            if (s.startsWith("W/")) s = s.substring(2);
            if (s.equals(etag) || s.equals("*")) return true;
        }
        return false;
    }

    /** "gzip" listed without q=0 (browsers always send it; curl without --compressed does not). */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) return false;
        for (String part : acceptEncoding.split(",")) {
            String[] p = part.trim().split(";");
            if (!p[0].trim().equalsIgnoreCase("gzip") && !p[0].trim().equals("*")) continue;
            boolean refused = false;
            for (int i = 1; i < p.length; i++) {
                String q = p[i].trim().replace(" ", "");
                if (q.startsWith("q=")) {
                    try {
                        refused = Double.parseDouble(q.substring(2)) <= 0;
                    } catch (NumberFormatException e) {
                        refused = true;
                    }
                }
            }
            if (!refused) return true;
        }
        return false;
    }
}
