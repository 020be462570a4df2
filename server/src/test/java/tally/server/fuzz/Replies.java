package tally.server.fuzz;

import com.google.gson.JsonParser;
import com.google.protobuf.CodedInputStream;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** The property every fuzzed HTTP request must hold: 2xx, or 4xx with a message saying why; never 5xx. */
final class Replies {
    private Replies() {}

    /** For OTLP/HTTP: 200 with the signal's response, or 4xx with a google.rpc.Status whose message is not empty. */
    static String otlp(HttpResponse<byte[]> r) throws IOException {
        int code = r.statusCode();
        String type = r.headers().firstValue("content-type").orElse("");
        if (code == 200) return "200";
        if (code < 400 || code >= 500) throw new AssertionError("status " + code + ": " + text(r));
        String message = type.contains("json") ? jsonMessage(r.body()) : statusProtoMessage(r.body());
        if (message == null || message.isBlank()) {
            throw new AssertionError("status " + code + " without a message (content-type " + type + ", body " + text(r) + ")");
        }
        return code + " " + reason(message);
    }

    /** For plain-text answers (remote-write): 2xx, or 4xx with a non-empty text body. */
    static String text(HttpResponse<byte[]> r, boolean emptyOk) {
        int code = r.statusCode();
        if (code >= 200 && code < 300) return Integer.toString(code);
        if (code < 400 || code >= 500) throw new AssertionError("status " + code + ": " + text(r));
        String body = text(r);
        if (body.isBlank() && !emptyOk) throw new AssertionError("status " + code + " without a message");
        return code + " " + reason(body);
    }

    /**
     * A message with the parts that vary blanked (quoted text, tokens in angle brackets, label sets, numbers) and cut
     * after its second colon: a stable name for counting outcomes.
     */
    static String reason(String message) {
        String s = blankQuoted(message).replaceAll("<[^>]*>", "<…>").replaceAll("\\{[^}]*}", "{…}").replaceAll("[0-9]+", "N")
                .replace('\n', ' ');
        int first = s.indexOf(": ");
        int second = first < 0 ? -1 : s.indexOf(": ", first + 2);
        if (second > 0) s = s.substring(0, second);
        return s.length() > 64 ? s.substring(0, 64) : s;
    }

    /**
     * Quoted parts (double or single quotes, backslash escapes) replaced by "…"; an unclosed quote ends the text.
     * A loop, not a regex: java.util.regex recurses per character of such a group and overflows on long quotes.
     */
    private static String blankQuoted(String m) {
        StringBuilder out = new StringBuilder(Math.min(m.length(), 256));
        for (int i = 0; i < m.length(); i++) {
            char c = m.charAt(i);
            if (c != '"' && c != '\'') {
                out.append(c);
                continue;
            }
            int j = i + 1;
            while (j < m.length() && m.charAt(j) != c) j += m.charAt(j) == '\\' ? 2 : 1;
            out.append(c).append('…');
            if (j >= m.length()) break;
            out.append(c);
            i = j;
        }
        return out.toString();
    }

    static String text(HttpResponse<byte[]> r) {
        String s = new String(r.body(), StandardCharsets.UTF_8);
        return s.length() > 500 ? s.substring(0, 500) + "..." : s;
    }

    private static String jsonMessage(byte[] body) {
        try {
            return JsonParser.parseString(new String(body, StandardCharsets.UTF_8)).getAsJsonObject().get("message").getAsString();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** google.rpc.Status: field 2 is the message. */
    private static String statusProtoMessage(byte[] body) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(body);
        String message = null;
        for (int tag; (tag = in.readTag()) != 0; ) {
            if (tag == ((2 << 3) | 2)) message = in.readStringRequireUtf8();
            else in.skipField(tag);
        }
        return message;
    }
}
