package tally.promql.parser;

import tally.promql.ast.PositionRange;

/**
 * A query that is not valid PromQL. The message reads like Prometheus's:
 * {@code 1:9: parse error: unexpected end of input}; {@link #reason()} is the part after "parse error: ".
 */
public final class ParseException extends RuntimeException {
    private final PositionRange position;
    private final String reason;

    ParseException(String query, PositionRange position, String reason) {
        super(prefix(query, position) + "parse error: " + reason);
        this.position = position;
        this.reason = reason;
    }

    public PositionRange position() { return position; }

    /** The error without position, as Prometheus's test scripts compare it. */
    public String reason() { return reason; }

    /** "line:column: " (1-based column, counted in characters on the line), as Prometheus prints it. */
    private static String prefix(String query, PositionRange pos) {
        if (query == null) return "";
        int offset = Math.max(0, Math.min(pos.start(), query.length()));
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            if (query.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return line + ":" + (offset - lineStart + 1) + ": ";
    }
}
