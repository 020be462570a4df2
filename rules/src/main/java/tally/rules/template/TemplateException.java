package tally.rules.template;

/**
 * A template parse or execution error. The message is Go's error text, for example
 * {@code template: __alert_HighCost:1: function "humanise" not defined}.
 */
public final class TemplateException extends Exception {
    private static final long serialVersionUID = 1L;

    TemplateException(String message) {
        super(message);
    }
}
