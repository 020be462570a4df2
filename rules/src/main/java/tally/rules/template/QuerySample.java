package tally.rules.template;

import java.util.Map;

/**
 * One sample returned by the template function {@code query}: what {@code {{ .Labels }}} and
 * {@code {{ .Value }}} give on it. The labels include {@code __name__} when the series has one.
 */
public record QuerySample(Map<String, String> labels, double value) {}
