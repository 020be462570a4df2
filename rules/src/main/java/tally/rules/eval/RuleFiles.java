package tally.rules.eval;

import tally.rules.file.RuleFileParser;
import tally.rules.template.AlertTemplate;
import tally.rules.template.TemplateException;

/** The rule file parser with alert templates checked at load time by the template engine that will expand them. */
public final class RuleFiles {
    private RuleFiles() {}

    public static RuleFileParser parser() {
        return new RuleFileParser((alertName, text) -> {
            try {
                AlertTemplate.parse(alertName, text);
                return null;
            } catch (TemplateException e) {
                return e.getMessage();
            }
        });
    }
}
