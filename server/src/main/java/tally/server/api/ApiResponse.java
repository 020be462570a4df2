package tally.server.api;

import java.util.List;

/** What an API call answers: HTTP status and the JSON body. */
public record ApiResponse(int status, byte[] body, String retryAfter) {
    public ApiResponse(int status, byte[] body) {
        this(status, body, null);
    }

    public static final String CONTENT_TYPE = "application/json";

    /** Starts a success envelope; the caller writes the {@code data} value next, then calls {@link #finish}. */
    public static JsonOut begin() {
        return new JsonOut().raw("{\"status\":\"success\",\"data\":");
    }

    /** Closes a success envelope, adding {@code warnings} and {@code infos} when there are any. */
    public static ApiResponse finish(JsonOut out, List<String> warnings, List<String> infos) {
        appendNotes(out, "warnings", warnings);
        appendNotes(out, "infos", infos);
        out.raw('}');
        return new ApiResponse(200, out.toBytes());
    }

    public static ApiResponse finish(JsonOut out) {
        return finish(out, List.of(), List.of());
    }

    /** {"status":"error","errorType":..,"error":..} with the matching HTTP status. */
    public static ApiResponse error(ApiError e) {
        JsonOut out = new JsonOut();
        out.raw("{\"status\":\"error\",\"errorType\":").str(e.errorType()).raw(",\"error\":").str(e.getMessage()).raw('}');
        return new ApiResponse(e.status(), out.toBytes(), e.retryAfter());
    }

    private static void appendNotes(JsonOut out, String key, List<String> notes) {
        if (notes == null || notes.isEmpty()) return;
        out.raw(",\"").raw(key).raw("\":[");
        for (int i = 0; i < notes.size(); i++) {
            if (i > 0) out.raw(',');
            out.str(notes.get(i));
        }
        out.raw(']');
    }
}
