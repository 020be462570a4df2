package tally.server.grafana;

/** A dashboard's query template variable: {@code label_values(selector, label)}. */
public record TemplateVariable(String name, String query, boolean multi, boolean includeAll, String allValue) {}
