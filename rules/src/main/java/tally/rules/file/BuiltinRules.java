package tally.rules.file;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The rule files built into Tally: the Claude Code recording rules and cost alert (resource claude-code.rules.yml). */
public final class BuiltinRules {
    /** How the API and /metrics name the built-in file. */
    public static final String CLAUDE_CODE_NAME = "tally:claude-code.rules.yml";

    private BuiltinRules() {}

    public static RuleSource claudeCode() {
        try (InputStream in = BuiltinRules.class.getResourceAsStream("/tally/rules/claude-code.rules.yml")) {
            if (in == null) throw new IllegalStateException("claude-code.rules.yml missing from the jar");
            return RuleSource.builtin(CLAUDE_CODE_NAME, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
