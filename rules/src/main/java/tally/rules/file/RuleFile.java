package tally.rules.file;

import java.util.List;

/** A parsed rule file: its path as configured (group keys and the API show it) and its groups in file order. */
public record RuleFile(String path, List<RuleGroupSpec> groups) {}
