/**
 * Alert label and annotation templates: Go's text/template, written anew in Java, with Prometheus's
 * template functions. {@link tally.rules.template.AlertTemplate} parses a value as Prometheus's alerting
 * rules do (template {@code __alert_<name>}, the {@code $labels $externalLabels $externalURL $value}
 * prefix, {@code missingkey=zero}) and expands it for one alert; outputs and error texts are Go's.
 *
 * <p>One file per job: {@code Lexer}, {@code Parser} and {@code Nodes} build the parse tree; {@code Exec}
 * runs it over Go values ({@code GoType}, {@code GoValues}) and calls {@code Func}s, the {@code Builtins}
 * and {@code PromFuncs}; {@code GoFmt}, {@code GoFloats} and {@code GoStrconv} are Go's fmt and strconv;
 * {@code GoTimes}, {@code GoNet}, {@code GoRegex}, {@code TitleCase} and {@code Humanize} are the Go and
 * Prometheus library behaviours behind the functions.
 *
 * <p>Where Tally differs on purpose: an expansion stops with an error after 10 million steps or at a
 * 16-million-character string (Go has no limit, so a range over a large integer would hang Prometheus);
 * pointer addresses print as stable made-up values; {@code tmpl} exists only for console templates, as in
 * Prometheus. Native histogram sample values are not supported ({@link tally.rules.template.QuerySample}
 * holds a float).
 */
package tally.rules.template;
