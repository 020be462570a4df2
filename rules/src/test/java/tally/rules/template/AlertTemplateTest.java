package tally.rules.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The public API as the rule engine uses it: parse once per rule, expand per alert. */
class AlertTemplateTest {
    private static final AlertTemplateData DATA = new AlertTemplateData(
            Map.of("__name__", "node_load1", "instance", "web-1.example.com:9100", "job", "node", "severity", "page"),
            Map.of("cluster", "eu-1"), "https://prom.example.com/prom", 3.14159);

    private static String expand(String text) throws TemplateException {
        return AlertTemplate.parse("HighLoad", text).expand(DATA, Fixtures.EMPTY);
    }

    @Test
    void typicalAnnotations() throws Exception {
        assertEquals("web-1.example.com:9100 of job node has load 3.14159",
                expand("{{ $labels.instance }} of job {{ $labels.job }} has load {{ $value }}"));
        assertEquals("Load is 3.14 on web-1", expand("Load is {{ printf \"%.2f\" $value }} on {{ $labels.instance | stripDomain | stripPort }}"));
        assertEquals("3.142", expand("{{ $value | humanize }}"));
        assertEquals("eu-1 https://prom.example.com/prom", expand("{{ $externalLabels.cluster }} {{ $externalURL }}"));
        assertEquals("https://prom.example.com/prom/graph?g0.expr=node_load1+%3E+2&g0.tab=1",
                expand("{{ externalURL }}{{ tableLink \"node_load1 > 2\" }}"));
        assertEquals("/prom", expand("{{ pathPrefix }}"));
        assertEquals("PAGE", expand("{{ .Labels.severity | toUpper }}"));
    }

    @Test
    void valuesPrintLikeGo() throws Exception {
        AlertTemplate t = AlertTemplate.parse("A", "{{ $value }}");
        assertEquals("1e+06", t.expand(new AlertTemplateData(Map.of(), Map.of(), "", 1e6), Fixtures.EMPTY));
        assertEquals("1234.5", t.expand(new AlertTemplateData(Map.of(), Map.of(), "", 1234.5), Fixtures.EMPTY));
        assertEquals("NaN", t.expand(new AlertTemplateData(Map.of(), Map.of(), "", Double.NaN), Fixtures.EMPTY));
        assertEquals("+Inf", t.expand(new AlertTemplateData(Map.of(), Map.of(), "", Double.POSITIVE_INFINITY), Fixtures.EMPTY));
        assertEquals("0", t.expand(new AlertTemplateData(Map.of(), Map.of(), "", 0), Fixtures.EMPTY));
    }

    @Test
    void nullMapsAndUrlAreEmpty() throws Exception {
        AlertTemplate t = AlertTemplate.parse("A", "[{{ $labels }}|{{ $labels.x }}|{{ $externalURL }}|{{ pathPrefix }}]");
        assertEquals("[map[]|||]", t.expand(new AlertTemplateData(null, null, null, 1), null));
    }

    @Test
    void parseErrorsAreGoTexts() {
        TemplateException e = assertThrows(TemplateException.class, () -> AlertTemplate.parse("HighCost", "{{ humanise $value }}"));
        assertEquals("template: __alert_HighCost:1: function \"humanise\" not defined", e.getMessage());
        e = assertThrows(TemplateException.class, () -> AlertTemplate.parse("HighCost", "{{ if $value }}high"));
        assertEquals("template: __alert_HighCost:1: unexpected EOF", e.getMessage());
        e = assertThrows(TemplateException.class, () -> AlertTemplate.parse("HighCost", "{{ $labels. }}"));
        assertEquals("template: __alert_HighCost:1: unexpected <.> in operand", e.getMessage());
        e = assertThrows(TemplateException.class, () -> AlertTemplate.parse("HighCost", "{{ end }}"));
        assertEquals("template: __alert_HighCost:1: unexpected {{end}}", e.getMessage());
        e = assertThrows(TemplateException.class, () -> AlertTemplate.parse("HighCost", "{{ $nope }}"));
        assertEquals("template: __alert_HighCost:1: undefined variable \"$nope\"", e.getMessage());
        e = assertThrows(TemplateException.class, () -> AlertTemplate.parse("HighCost", "line\n{{ if }}{{ end }}"));
        assertEquals("template: __alert_HighCost:2: missing value for if", e.getMessage());
    }

    @Test
    void executionErrorIsWhatPrometheusPutsInTheAnnotation() throws Exception {
        AlertTemplate t = AlertTemplate.parse("HighCost", "{{ humanize $labels.job }}");
        TemplateException e = assertThrows(TemplateException.class, () -> t.expand(DATA, Fixtures.EMPTY));
        // Columns count the $labels/$externalLabels/$externalURL/$value prefix, as in Prometheus.
        assertEquals("<error expanding template: error executing template __alert_HighCost: template: __alert_HighCost:1:115: "
                + "executing \"__alert_HighCost\" at <humanize $labels.job>: error calling humanize: strconv.ParseFloat: parsing \"node\": invalid syntax>",
                "<error expanding template: " + e.getMessage() + ">");
    }

    @Test
    void queriesGoThroughTheContext() throws Exception {
        List<String> seen = new ArrayList<>();
        TemplateContext ctx = new TemplateContext() {
            @Override
            public List<QuerySample> query(String promql) {
                seen.add(promql);
                return List.of(Fixtures.sample(0.25, "instance", "b"), Fixtures.sample(0.75, "instance", "a"));
            }

            @Override
            public long evalTimeMillis() {
                return 1_700_000_000_000L;
            }
        };
        AlertTemplate t = AlertTemplate.parse("A",
                "{{ range query \"up{job='node'}\" | sortByLabel \"instance\" }}{{ .Labels.instance }}={{ .Value | humanizePercentage }} {{ end }}"
                        + "{{ with query \"x\" }}{{ . | first | value }}{{ end }} {{ now }}");
        assertEquals("a=75% b=25% 0.25 1.7e+09", t.expand(DATA, ctx));
        assertEquals(List.of("up{job='node'}", "x"), seen);
    }

    @Test
    void failingQuery() throws Exception {
        AlertTemplate t = AlertTemplate.parse("A", "{{ query \"rate(x[5m])\" }}");
        TemplateException e = assertThrows(TemplateException.class, () -> t.expand(DATA, Fixtures.failing("query timed out in expression evaluation")));
        assertEquals("error executing template __alert_A: template: __alert_A:1:115: executing \"__alert_A\" at <query \"rate(x[5m])\">: "
                + "error calling query: query timed out in expression evaluation", e.getMessage());
    }

    @Test
    void parsedTemplatesAreReusableAcrossThreads() throws Exception {
        AlertTemplate t = AlertTemplate.parse("A", "{{ $x := 0 }}{{ range $k, $v := $labels }}{{ $x = $v }}{{ end }}{{ $labels.id }}:{{ $x }}:{{ $value }}");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    Map<String, String> labels = new HashMap<>();
                    labels.put("id", "i" + n);
                    labels.put("z", "last" + n);
                    return t.expand(new AlertTemplateData(labels, Map.of(), "", n), Fixtures.EMPTY);
                }));
            }
            for (int i = 0; i < results.size(); i++) assertEquals("i" + i + ":last" + i + ":" + i, results.get(i).get());
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void alertNameIsPartOfTheTemplateName() throws Exception {
        TemplateException e = assertThrows(TemplateException.class, () -> AlertTemplate.parse("Disk Full", "{{ nope }}"));
        assertEquals("template: __alert_Disk Full:1: function \"nope\" not defined", e.getMessage());
        assertEquals("__alert_A: {{ 1 }}", AlertTemplate.parse("A", "{{ 1 }}").toString());
    }
}
