package tally.rules.file;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where a rule file's text comes from: a file on disk (read at every load) or text built into Tally. */
public record RuleSource(String name, Path path, String text) {
    public static RuleSource file(Path path) {
        return new RuleSource(path.toString(), path, null);
    }

    public static RuleSource builtin(String name, String text) {
        return new RuleSource(name, null, text);
    }

    /** The rule file's text. */
    public String read() throws RuleLoadException {
        if (text != null) return text;
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RuleLoadException(List.of(name + ": " + e));
        }
    }
}
