package tally.rules.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One POST of a batch to one Alertmanager, as Prometheus's HTTP client makes it: the config's timeout bounds the
 * whole exchange (connecting, redirects, the answer and its body), any 2xx is success, redirects are followed as Go
 * follows them, and the Authorization header is not carried to another host.
 */
final class AlertPost {
    static final String USER_AGENT = "Tally/0.1.0"; // the server's version (tally.server.Main.VERSION)
    private static final int MAX_REDIRECTS = 10; // Go's http.Client default

    private AlertPost() {}

    /** Throws on anything but a 2xx answer in time. {@code begin} is System.nanoTime() when the attempt started. */
    static void post(HttpClient client, Endpoint ep, byte[] body, long begin) throws IOException, InterruptedException {
        Duration timeout = ep.config().timeout();
        long deadline = begin + timeout.toNanos();
        String auth = ep.authorizationHeader(); // read once per request, files included
        URI uri = ep.uri();
        String method = "POST";
        boolean keepAuth = true;
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(timeout).header("User-Agent", USER_AGENT);
            // Plain HTTP/1.1 over http: Java would otherwise offer an h2c upgrade, which Go's client never does.
            if (uri.getScheme().equalsIgnoreCase("http")) rb.version(HttpClient.Version.HTTP_1_1);
            if (method.equals("POST")) {
                rb.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
            } else {
                rb.GET();
            }
            if (auth != null && keepAuth) rb.header("Authorization", auth);

            HttpResponse<Void> response = await(client.sendAsync(rb.build(), HttpResponse.BodyHandlers.discarding()),
                    deadline, timeout);
            int status = response.statusCode();
            if (status / 100 == 2) return;
            String location = response.headers().firstValue("Location").orElse("");
            boolean redirect = (status == 301 || status == 302 || status == 303 || status == 307 || status == 308)
                    && !location.isEmpty();
            if (!redirect) throw new IOException("bad response status " + status);
            if (hop + 1 >= MAX_REDIRECTS) throw new IOException("stopped after " + MAX_REDIRECTS + " redirects");
            URI next;
            try {
                next = uri.resolve(location);
            } catch (IllegalArgumentException e) {
                throw new IOException("failed to parse Location header " + location, e);
            }
            // Go: 301, 302 and 303 turn a POST into a GET without body; 307 and 308 repeat the POST.
            if (status <= 303) method = "GET";
            keepAuth &= sameHostOrSubdomain(next, ep.uri());
            uri = next;
        }
    }

    private static HttpResponse<Void> await(CompletableFuture<HttpResponse<Void>> f, long deadline, Duration timeout)
            throws IOException, InterruptedException {
        try {
            return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new IOException("no answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof IOException io ? io : new IOException(String.valueOf(c), c);
        }
    }

    /** Prometheus's isCrossHostRedirect: the credentials follow to the same host name or a subdomain of it. */
    static boolean sameHostOrSubdomain(URI to, URI original) {
        String sub = to.getHost() == null ? "" : to.getHost().toLowerCase(Locale.ROOT);
        String parent = original.getHost() == null ? "" : original.getHost().toLowerCase(Locale.ROOT);
        if (sub.equals(parent)) return true;
        if (sub.contains(":") || parent.contains(":")) return false; // IPv6 literals have no subdomains
        return sub.endsWith("." + parent);
    }
}
