package tally.rules.template;

import java.util.Map;

/**
 * Data of an alert's templates: what {@code {{ .Labels }}}, {@code {{ .ExternalLabels }}},
 * {@code {{ .ExternalURL }}} and {@code {{ .Value }}} give (Prometheus's {@code template.AlertTemplateData}).
 * Null maps act as empty maps, a null URL as "".
 */
public record AlertTemplateData(Map<String, String> labels, Map<String, String> externalLabels, String externalURL, double value) {}
