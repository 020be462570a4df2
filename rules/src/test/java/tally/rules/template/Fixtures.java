package tally.rules.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tally.rules.template.GoValues.GoInt;
import tally.rules.template.GoValues.GoSlice;

/** Shared data for the template tests: contexts, alert data and Go slices like those Prometheus's tests range over. */
final class Fixtures {
    private Fixtures() {}

    /** A context whose query returns the given samples, whatever the expression. */
    static TemplateContext ctx(long evalMillis, List<QuerySample> samples) {
        return new TemplateContext() {
            @Override
            public List<QuerySample> query(String promql) {
                return new ArrayList<>(samples);
            }

            @Override
            public long evalTimeMillis() {
                return evalMillis;
            }
        };
    }

    /** A context whose query fails with the given message. */
    static TemplateContext failing(String message) {
        return new TemplateContext() {
            @Override
            public List<QuerySample> query(String promql) throws Exception {
                throw new Exception(message);
            }

            @Override
            public long evalTimeMillis() {
                return 0;
            }
        };
    }

    static final TemplateContext EMPTY = ctx(0, List.of());

    /** Prometheus's template_test.go setup: expander named "test", eval time 1353755652000, external URL below. */
    static final String TEST_URL = "http://testhost:9090/path/prefix";

    static String expand(String text, Object data, List<QuerySample> query) throws TemplateException {
        return Expander.expand("test", text, data, ctx(1353755652000L, query), TEST_URL, Exec.MissingKey.ZERO, false);
    }

    static String expand(String text) throws TemplateException {
        return expand(text, null, List.of());
    }

    static String expandHtmlMode(String text) throws TemplateException {
        return Expander.expand("test", text, null, ctx(1353755652000L, List.of()), TEST_URL, Exec.MissingKey.ZERO, true);
    }

    /** The message of the TemplateException the expansion throws. */
    static String error(String text, Object data, List<QuerySample> query) {
        try {
            String out = expand(text, data, query);
            throw new AssertionError("expected an error, got output " + out);
        } catch (TemplateException e) {
            return e.getMessage();
        }
    }

    static String error(String text) {
        return error(text, null, List.of());
    }

    static QuerySample sample(double value, String... labelPairs) {
        Map<String, String> labels = new java.util.LinkedHashMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) labels.put(labelPairs[i], labelPairs[i + 1]);
        return new QuerySample(labels, value);
    }

    // Go slices of the element types Prometheus's tests use.

    static GoSlice floats(double... v) {
        List<Object> l = new ArrayList<>();
        for (double d : v) l.add(d);
        return new GoSlice(GoType.sliceOf(null, GoType.FLOAT64), l);
    }

    static GoSlice strings(String... v) {
        return new GoSlice(GoType.sliceOf(null, GoType.STRING), new ArrayList<>(List.of(v)));
    }

    static GoSlice ints(long... v) {
        List<Object> l = new ArrayList<>();
        for (long x : v) l.add(x);
        return new GoSlice(GoType.sliceOf(null, GoType.INT), l);
    }

    static GoSlice typed(GoType elem, long... v) {
        List<Object> l = new ArrayList<>();
        for (long x : v) l.add(new GoInt(x, elem));
        return new GoSlice(GoType.sliceOf(null, elem), l);
    }
}
