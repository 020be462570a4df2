package tally.promql.test;

/** A test script that does not follow the format; {@link #line()} is 1-based. */
public final class ScriptSyntaxException extends Exception {
    private final int line;

    public ScriptSyntaxException(int line, String message) {
        super(message);
        this.line = line;
    }

    public int line() { return line; }
}
