package tally.bench.soak;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** One GET, answer as status + body; -1 when there was none. */
record HttpProbe(int code, String body) {
    static HttpProbe get(String url) throws InterruptedException {
        try {
            HttpResponse<String> r = Sender.HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new HttpProbe(r.statusCode(), r.body());
        } catch (java.io.IOException e) {
            return new HttpProbe(-1, e.toString());
        }
    }
}
