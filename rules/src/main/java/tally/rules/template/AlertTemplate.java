package tally.rules.template;

/**
 * An alert label or annotation value, parsed as Prometheus parses it: a Go text/template named
 * {@code __alert_<alertname>}, prefixed with the convenience variables {@code $labels},
 * {@code $externalLabels}, {@code $externalURL} and {@code $value}, with Prometheus's template functions
 * and {@code missingkey=zero}. Immutable and safe to expand from several threads.
 */
public final class AlertTemplate {
    private static final String DEFS =
            "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}";

    private final Expander.Parsed parsed;

    private AlertTemplate(Expander.Parsed parsed) {
        this.parsed = parsed;
    }

    /**
     * Parses the text. Throws on a parse error with Go's message, as Prometheus's rule-file check reports it,
     * e.g. {@code template: __alert_HighCost:1: function "humanise" not defined}. Positions count the
     * prefix, as in Prometheus.
     */
    public static AlertTemplate parse(String alertName, String text) throws TemplateException {
        String name = "__alert_" + alertName;
        try {
            return new AlertTemplate(Expander.parse(name, DEFS + text, false));
        } catch (Parser.ParseError e) {
            throw new TemplateException(e.getMessage());
        } catch (StackOverflowError e) {
            throw new TemplateException("template: " + name + ": template nested too deeply");
        }
    }

    /**
     * Expands the template for one alert. On an execution error the message is what Prometheus's Expand
     * returns, {@code error executing template __alert_X: template: __alert_X:1:137: executing ...}, so that
     * {@code "<error expanding template: " + message + ">"} is exactly Prometheus's label or annotation value.
     */
    public String expand(AlertTemplateData data, TemplateContext ctx) throws TemplateException {
        return Expander.run(parsed, GoValues.alertData(data), ctx, data.externalURL(), Exec.MissingKey.ZERO);
    }

    @Override
    public String toString() {
        return parsed.name() + ": " + parsed.text().substring(DEFS.length());
    }
}
