package tally.rules.file;

import java.util.List;

/**
 * A rule file that cannot be loaded, with every problem found, each naming the file and, where they apply, the
 * line and column, the group, the rule's position and name, and the reason (as Prometheus words them).
 */
public final class RuleLoadException extends Exception {
    private final List<String> errors;

    public RuleLoadException(List<String> errors) {
        super(String.join("\n", errors), null, false, false);
        this.errors = List.copyOf(errors);
    }

    public List<String> errors() {
        return errors;
    }
}
