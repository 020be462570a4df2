package tally.rules.template;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Parses and runs one template with Prometheus's function map, like template.NewTemplateExpander:
 * {@link #parse} is ParseTest, {@link #execute} the execution half of Expand. Data may be any Go value
 * of this package, which lets tests run Prometheus's own cases (ranges over []float64 and the like).
 */
final class Expander {
    private Expander() {}

    /** Runs a named template of the same set; backs the {@code tmpl} function. */
    @FunctionalInterface
    interface TemplateRunner {
        String run(String name, Object data) throws Func.CallError;
    }

    /** A parsed template set: the top-level name, its source and every tree. */
    record Parsed(String name, String text, Map<String, Parser.Tree> trees, boolean withTmpl) {}

    private static final Set<String> PROMETHEUS_NAMES = PromFuncs.functions(null, "", null).keySet();

    static Parsed parse(String name, String text, boolean withTmpl) throws Parser.ParseError {
        Set<String> names = new HashSet<>(Builtins.FUNCS.keySet());
        names.addAll(PROMETHEUS_NAMES);
        if (withTmpl) names.add("tmpl");
        return new Parsed(name, text, Parser.parse(name, text, names), withTmpl);
    }

    /** Executes the top-level template; throws {@link Exec.ExecError} with Go's text. */
    static String execute(Parsed p, Object data, TemplateContext ctx, String externalURL, Exec.MissingKey missingKey) {
        return execute(p, data, ctx, externalURL, missingKey, Exec.MAX_STEPS);
    }

    static String execute(Parsed p, Object data, TemplateContext ctx, String externalURL, Exec.MissingKey missingKey, long maxSteps) {
        Map<String, Func> funcs = new HashMap<>(Builtins.FUNCS);
        TemplateRunner tmpl = null;
        if (p.withTmpl()) {
            tmpl = (name, d) -> {
                if (!p.trees().containsKey(name)) throw new Func.CallError("html/template: " + GoStrconv.quote(name) + " is undefined");
                try {
                    return new Exec(p.trees(), p.text(), p.name(), funcs, missingKey).execute(name, d);
                } catch (Exec.ExecError e) {
                    throw new Func.CallError(e.getMessage());
                }
            };
        }
        // Prometheus's functions are looked up before the builtins.
        funcs.putAll(PromFuncs.functions(ctx, externalURL, tmpl));
        return new Exec(p.trees(), p.text(), p.name(), funcs, missingKey).withMaxSteps(maxSteps).execute(p.name(), data);
    }

    /** Template.Expand: parse and execute, errors prefixed as Prometheus prefixes them. */
    static String expand(String name, String text, Object data, TemplateContext ctx, String externalURL,
            Exec.MissingKey missingKey, boolean withTmpl) throws TemplateException {
        Parsed p;
        try {
            p = parse(name, text, withTmpl);
        } catch (Parser.ParseError e) {
            throw new TemplateException("error parsing template " + name + ": " + e.getMessage());
        }
        return run(p, data, ctx, externalURL, missingKey);
    }

    static String run(Parsed p, Object data, TemplateContext ctx, String externalURL, Exec.MissingKey missingKey) throws TemplateException {
        try {
            return execute(p, data, ctx, externalURL, missingKey);
        } catch (Exec.ExecError e) {
            throw new TemplateException("error executing template " + p.name() + ": " + e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            // Prometheus recovers panics so that a broken template never takes the process down.
            throw new TemplateException("panic expanding template " + p.name() + ": " + e);
        }
    }
}
