package tally.rules.file;

import java.util.List;
import java.util.Map;

/**
 * One group of a rule file. {@code intervalMillis} and {@code queryOffsetMillis} are null when the file leaves them
 * to the configuration's {@code global} section; {@code limit} 0 means none; {@code labels} (a 3.x field) are added
 * to every rule's labels, a rule's own winning.
 */
public record RuleGroupSpec(String name, Long intervalMillis, Long queryOffsetMillis, int limit, Map<String, String> labels,
                            List<RuleSpec> rules) {}
