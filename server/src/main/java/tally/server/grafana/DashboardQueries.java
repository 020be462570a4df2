package tally.server.grafana;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every query in the provisioned Grafana dashboards ({@code grafana/dashboards/*.json}), raw and with
 * Grafana's variables substituted, so tests can run exactly what Grafana would send to Tally.
 */
public final class DashboardQueries {

    /** How Grafana sends a query: a panel's range or instant query, or a variable's label-values lookup. */
    public enum Kind { RANGE, INSTANT, LABEL_VALUES }

    /**
     * One query.
     *
     * @param panelTitle the panel's title; {@code "variable $name"} for a template variable
     * @param refId the target's refId; for {@link Kind#LABEL_VALUES}, the label whose values are listed
     * @param rawExpr the text in the dashboard (for a variable, the whole {@code label_values(...)})
     * @param expr the PromQL Grafana sends after substitution (for a variable, the {@code match[]} selector)
     * @param minStep the target's or panel's minimum step ("1h"), empty when Grafana picks the step
     */
    public record Query(String dashboard, String panelTitle, String refId, String rawExpr, String expr,
                        Kind kind, String minStep) {}

    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\)\\s*$",
            Pattern.DOTALL);

    private DashboardQueries() {}

    /** All queries of the repository's dashboards, every variable on All, default Grafana settings. */
    public static List<Query> all() {
        return all(dashboardsDir(), GrafanaVariables.DEFAULTS);
    }

    public static List<Query> all(Path dashboardsDir, GrafanaVariables variables) {
        List<Query> queries = new ArrayList<>();
        for (Path file : dashboardFiles(dashboardsDir)) {
            queries.addAll(of(read(file), variables));
        }
        return queries;
    }

    /** The dashboard JSON files, sorted by name. */
    public static List<Path> dashboardFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The repository's {@code grafana/dashboards}, found from the working directory upwards (tests run
     * in a module directory), or from the {@code tally.grafana.dashboards} system property.
     */
    public static Path dashboardsDir() {
        String configured = System.getProperty("tally.grafana.dashboards");
        if (configured != null) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("grafana").resolve("dashboards");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("grafana/dashboards not found above " + Path.of("").toAbsolutePath());
    }

    public static JsonObject read(Path file) {
        try {
            return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The dashboard's template variables by name. */
    public static Map<String, TemplateVariable> templateVariables(JsonObject dashboard) {
        Map<String, TemplateVariable> vars = new LinkedHashMap<>();
        for (JsonElement e : array(object(dashboard, "templating"), "list")) {
            JsonObject v = e.getAsJsonObject();
            JsonElement query = v.get("query");
            String text = query == null ? "" : query.isJsonObject() ? string(query.getAsJsonObject(), "query") : query.getAsString();
            vars.put(string(v, "name"), new TemplateVariable(string(v, "name"), text, bool(v, "multi"),
                    bool(v, "includeAll"), v.has("allValue") && !v.get("allValue").isJsonNull() ? v.get("allValue").getAsString() : ".*"));
        }
        return vars;
    }

    /** The dashboard's panels, rows' nested panels included, in file order. */
    public static List<JsonObject> panels(JsonObject dashboard) {
        List<JsonObject> out = new ArrayList<>();
        for (JsonElement e : array(dashboard, "panels")) {
            JsonObject panel = e.getAsJsonObject();
            out.add(panel);
            for (JsonElement nested : array(panel, "panels")) {
                out.add(nested.getAsJsonObject());
            }
        }
        return out;
    }

    /** The queries of one dashboard under these Grafana settings. */
    public static List<Query> of(JsonObject dashboard, GrafanaVariables variables) {
        String title = string(dashboard, "title");
        Map<String, TemplateVariable> vars = templateVariables(dashboard);
        List<Query> queries = new ArrayList<>();
        for (TemplateVariable v : vars.values()) {
            Matcher m = LABEL_VALUES.matcher(v.query());
            if (m.matches()) {
                queries.add(new Query(title, "variable $" + v.name(), m.group(2), v.query(),
                        variables.substitute(m.group(1).trim(), vars), Kind.LABEL_VALUES, ""));
            }
        }
        for (JsonObject panel : panels(dashboard)) {
            for (JsonElement t : array(panel, "targets")) {
                JsonObject target = t.getAsJsonObject();
                String raw = string(target, "expr");
                Kind kind = bool(target, "instant") && !bool(target, "range") ? Kind.INSTANT : Kind.RANGE;
                String step = !string(target, "interval").isEmpty() ? string(target, "interval") : string(panel, "interval");
                // Grafana raises $__interval (and so $__rate_interval) to the panel's minimum step
                GrafanaVariables forPanel = step.isEmpty() ? variables : variables.withMinInterval(
                        tally.promql.ast.Durations.parseMillis(step) / 1000);
                queries.add(new Query(title, string(panel, "title"), string(target, "refId"), raw,
                        forPanel.substitute(raw, vars), kind, step));
            }
        }
        return queries;
    }

    private static JsonArray array(JsonObject o, String key) {
        JsonElement e = o == null ? null : o.get(key);
        return e != null && e.isJsonArray() ? e.getAsJsonArray() : new JsonArray();
    }

    private static JsonObject object(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e != null && e.isJsonObject() ? e.getAsJsonObject() : null;
    }

    private static String string(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e != null && e.isJsonPrimitive() ? e.getAsString() : "";
    }

    private static boolean bool(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e != null && e.isJsonPrimitive() && e.getAsBoolean();
    }
}
