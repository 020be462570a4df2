package tally.promql.engine;

import java.nio.charset.StandardCharsets;
import tally.promql.ast.PositionRange;

/**
 * Prometheus appends the start of the offending expression to every annotation, as {@code " (line:col)"}
 * counted in UTF-8 bytes of the query text, both 1-based. Without the text no suffix is added.
 */
final class AnnotationPosition {
    private AnnotationPosition() {}

    static String withPosition(String message, String query, PositionRange pos) {
        if (query == null || query.isEmpty() || pos == null) return message;
        int at = pos.start();
        if (at < 0 || at > query.length()) return message + " (invalid position)";
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < at; i++) {
            if (query.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        int col = query.substring(lineStart, at).getBytes(StandardCharsets.UTF_8).length + 1;
        return message + " (" + line + ":" + col + ")";
    }
}
