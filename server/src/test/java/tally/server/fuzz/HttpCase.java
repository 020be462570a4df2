package tally.server.fuzz;

import tally.server.testing.TestServer;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One fuzzed HTTP request: port ("otlp" or "web"), path, headers and body. Saved as a small text head (request line,
 * headers, blank line) followed by the raw body, so a failing case can be replayed as it was sent.
 */
record HttpCase(String port, String path, String contentType, String contentEncoding, byte[] body) {
    /**
     * Sends the request and checks the answer ({@link Replies}): OTLP's google.rpc.Status for the OTLP paths, a text
     * message elsewhere (remote-write). Returns the outcome's name.
     */
    String send(TestServer s) throws Exception {
        String url = port.equals("web") ? s.webUrl(path) : s.otlpUrl(path);
        HttpResponse<byte[]> r = s.post(url, contentType, contentEncoding, body);
        return path.contains("/v1/metrics") || path.contains("/v1/logs") ? Replies.otlp(r) : Replies.text(r, false);
    }

    byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String head = "POST " + port + " " + path + "\nContent-Type: " + contentType + "\nContent-Encoding: "
                + (contentEncoding == null ? "" : contentEncoding) + "\n\n";
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(body);
        return out.toByteArray();
    }

    static HttpCase parse(byte[] saved) {
        int end = 0;
        while (!(saved[end] == '\n' && saved[end + 1] == '\n')) end++;
        String[] lines = new String(saved, 0, end, StandardCharsets.UTF_8).split("\n");
        String[] request = lines[0].split(" ");
        String type = lines[1].substring("Content-Type: ".length());
        String enc = lines[2].substring("Content-Encoding: ".length());
        return new HttpCase(request[1], request[2], type, enc.isEmpty() ? null : enc, Arrays.copyOfRange(saved, end + 2, saved.length));
    }
}
