package tally.rules.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static tally.rules.template.Fixtures.error;
import static tally.rules.template.Fixtures.expand;
import static tally.rules.template.Fixtures.sample;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scenarios of Prometheus's template/template_test.go (TestTemplateExpansion and Test_floatToTime) that
 * need no TSDB and no native histograms, with Prometheus's expected outputs and error texts. HTML-only
 * scenarios are left out, except {@code tmpl}, which is checked in console (tmpl-enabled) mode.
 */
class PrometheusTemplateTest {
    private static final Long MAX_INT64 = Long.MAX_VALUE;

    @Test
    void plainTextAndConstants() throws Exception {
        assertEquals("plain text", expand("plain text"));
        assertEquals("1", expand("{{ 1 }}"));
        assertEquals("<b>", expand("{{ \"<b>\" }}"));
    }

    @Test
    void nonAsciiSpaceInActionIsAParseError() {
        assertEquals("error parsing template test: template: test:1: unrecognized character in action: U+00A0", error("{{\u00a0}}"));
    }

    @Test
    void argsPassesSeveralValuesToATemplate() throws Exception {
        assertEquals("1 2", expand("{{define \"x\"}}{{.arg0}} {{.arg1}}{{end}}{{template \"x\" (args 1 \"2\")}}"));
    }

    @Test
    void queryResults() throws Exception {
        assertEquals("1.5", expand("{{ query \"1.5\" | first | value }}", null, List.of(sample(1.5))));
        List<QuerySample> a = List.of(sample(11, "__name__", "metric", "instance", "a"));
        assertEquals("11", expand("{{ query \"metric{instance='a'}\" | first | value }}", null, a));
        assertEquals("a", expand("{{ query \"metric{instance='a'}\" | first | label \"instance\" }}", null, a));
        assertEquals("", expand("{{ query \"metric{instance='a'}\" | first | label \"foo\" }}", null, a));
        assertEquals("", expand("{{ $x := query \"metric\" | first }}{{ $x.Labels.foo }}", null, a));
        assertEquals("a", expand("{{ query \"metric{__value__='a'}\" | first | strvalue }}", null,
                List.of(sample(11, "__name__", "metric", "__value__", "a"))));
        assertEquals("a:11: b:21: ", expand("{{ range query \"metric\" | sortByLabel \"instance\" }}{{.Labels.instance}}:{{.Value}}: {{end}}", null,
                List.of(sample(21, "__name__", "metric", "instance", "b"), sample(11, "__name__", "metric", "instance", "a"))));
    }

    @Test
    void stripPort() throws Exception {
        assertEquals("foo.example.com", expand("{{ \"foo.example.com\" | stripPort }}"));
        assertEquals("foo.example.com", expand("{{ \"foo.example.com:12345\" | stripPort }}"));
        assertEquals("192.0.2.1", expand("{{ \"192.0.2.1\" | stripPort }}"));
        assertEquals("192.0.2.1", expand("{{ \"192.0.2.1:12345\" | stripPort }}"));
        assertEquals("2001:0DB8::1", expand("{{ \"2001:0DB8::1\" | stripPort }}"));
        assertEquals("2001:0DB8::1", expand("{{ \"[2001:0DB8::1]:12345\" | stripPort }}"));
        assertEquals("[2001:0DB8::1]::12345", expand("{{ \"[2001:0DB8::1]::12345\" | stripPort }}"));
    }

    @Test
    void stripDomain() throws Exception {
        assertEquals("foo", expand("{{ \"foo.example.com\" | stripDomain }}"));
        assertEquals("foo:12345", expand("{{ \"foo.example.com:12345\" | stripDomain }}"));
        assertEquals("192.0.2.1", expand("{{ \"192.0.2.1\" | stripDomain }}"));
        assertEquals("192.0.2.1:12345", expand("{{ \"192.0.2.1:12345\" | stripDomain }}"));
        assertEquals("2001:0DB8::1", expand("{{ \"2001:0DB8::1\" | stripDomain }}"));
        assertEquals("[2001:0DB8::1]:12345", expand("{{ \"[2001:0DB8::1]:12345\" | stripDomain }}"));
        assertEquals("[2001:0DB8::1]::12345", expand("{{ \"[2001:0DB8::1]::12345\" | stripDomain }}"));
    }

    @Test
    void missingValueOptions() throws Exception {
        // Prometheus's default options are missingkey=zero; no options at all means missingkey=default.
        assertEquals("<no value>", expand("{{ .Foo }}"));
        assertEquals("<no value>", Expander.expand("test", "{{ .Foo }}", null, Fixtures.EMPTY, "", Exec.MissingKey.INVALID, false));
        TemplateException e = assertThrows(TemplateException.class,
                () -> Expander.expand("test", "{{ .Foo }}", null, Fixtures.EMPTY, "", Exec.MissingKey.ERROR, false));
        assertEquals("error executing template test: template: test:1:3: executing \"test\" at <.Foo>: nil data; no entry for key \"Foo\"", e.getMessage());
    }

    @Test
    void errors() {
        assertEquals("error parsing template test: template: test:1: unclosed action", error("{{"));
        assertEquals("error executing template test: template: test:1:21: executing \"test\" at <first>: error calling first: first() called on vector with no elements",
                error("{{ query \"missing\" | first }}"));
        assertEquals("error executing template test: template: test:1:10: executing \"test\" at <\"missing\">: can't evaluate field banana in type template.queryResult",
                error("{{ (query \"missing\").banana }}"));
    }

    @Test
    void reReplaceAll() throws Exception {
        assertEquals("xa", expand("{{ reReplaceAll \"(a)b\" \"x$1\" \"ab\" }}"));
    }

    @Test
    void humanize() throws Exception {
        String t = "{{ range . }}{{ humanize . }}:{{ end }}";
        assertEquals("0:1:1.235M:120m:", expand(t, Fixtures.floats(0.0, 1.0, 1234567.0, .12), List.of()));
        assertEquals("0:1:1.235M:120m:", expand(t, Fixtures.strings("0.0", "1.0", "1234567.0", ".12"), List.of()));
        assertEquals("0:-1:1:1.235M:9.223E:", expand(t, Fixtures.typed(GoType.INT64, 0, -1, 1, 1234567, MAX_INT64), List.of()));
        assertEquals("0:1:1.235M:18.45E:", expand(t, Fixtures.typed(GoType.UINT64, 0, 1, 1234567, -1L), List.of()));
        assertEquals("error executing template test: template: test:1:3: executing \"test\" at <humanize \"one\">: error calling humanize: strconv.ParseFloat: parsing \"one\": invalid syntax",
                error("{{ humanize \"one\" }}"));
    }

    @Test
    void humanize1024() throws Exception {
        String t = "{{ range . }}{{ humanize1024 . }}:{{ end }}";
        assertEquals("0:1:1Mi:0.12:", expand(t, Fixtures.floats(0.0, 1.0, 1048576.0, .12), List.of()));
        assertEquals("0:1:1Mi:0.12:", expand(t, Fixtures.strings("0.0", "1.0", "1048576.0", ".12"), List.of()));
        assertEquals("0:-1:1:1.177Mi:8Ei:", expand(t, Fixtures.typed(GoType.INT64, 0, -1, 1, 1234567, MAX_INT64), List.of()));
        assertEquals("0:1:1.177Mi:16Ei:", expand(t, Fixtures.typed(GoType.UINT64, 0, 1, 1234567, -1L), List.of()));
        assertEquals("error executing template test: template: test:1:3: executing \"test\" at <humanize1024 \"one\">: error calling humanize1024: strconv.ParseFloat: parsing \"one\": invalid syntax",
                error("{{ humanize1024 \"one\" }}"));
    }

    @Test
    void humanizeDuration() throws Exception {
        String t = "{{ range . }}{{ humanizeDuration . }}:{{ end }}";
        assertEquals("0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:1d 1h 0m 0s:-2d 3h 4m 5s:14m 59s:",
                expand(t, Fixtures.floats(0, 1, 60, 3600, 86400, 86400 + 3600, -(86400 * 2 + 3600 * 3 + 60 * 4 + 5), 899.99), List.of()));
        assertEquals("0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:", expand(t, Fixtures.strings("0", "1", "60", "3600", "86400"), List.of()));
        assertEquals("100ms:100us:123.5ms:1m 0s:1m 0s:1.234s:12.35s:", expand(t, Fixtures.floats(.1, .0001, .12345, 60.1, 60.5, 1.2345, 12.345), List.of()));
        assertEquals("100ms:100us:123.5ms:1m 0s:1m 0s:1.234s:12.35s:",
                expand(t, Fixtures.strings(".1", ".0001", ".12345", "60.1", "60.5", "1.2345", "12.345"), List.of()));
        assertEquals("0s:-1s:1s:14d 6h 56m 7s:", expand(t, Fixtures.ints(0, -1, 1, 1234567), List.of()));
        assertEquals("0s:1s:14d 6h 56m 7s:", expand(t, Fixtures.typed(GoType.UINT, 0, 1, 1234567), List.of()));
        assertEquals("error executing template test: template: test:1:3: executing \"test\" at <humanizeDuration \"one\">: error calling humanizeDuration: strconv.ParseFloat: parsing \"one\": invalid syntax",
                error("{{ humanizeDuration \"one\" }}"));
    }

    @Test
    void humanizeInfAndNaN() throws Exception {
        String t = "{{ range . }}{{ humanize . }}:{{ humanize1024 . }}:{{ humanizeDuration . }}:{{humanizeTimestamp .}}:{{ end }}";
        String want = "+Inf:+Inf:+Inf:+Inf:-Inf:-Inf:-Inf:-Inf:NaN:NaN:NaN:NaN:";
        assertEquals(want, expand(t, Fixtures.floats(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN), List.of()));
        assertEquals(want, expand(t, Fixtures.strings("+Inf", "-Inf", "NaN"), List.of()));
    }

    @Test
    void humanizePercentage() throws Exception {
        assertEquals("-22.22%:0%:12.35%:123.5%",
                expand("{{ -0.22222 | humanizePercentage }}:{{ 0.0 | humanizePercentage }}:{{ 0.1234567 | humanizePercentage }}:{{ 1.23456 | humanizePercentage }}"));
        String t = "{{ range . }}{{ humanizePercentage . }}:{{ end }}";
        assertEquals("0%:-100%:100%:1.235e+08%:9.223e+20%:", expand(t, Fixtures.typed(GoType.INT64, 0, -1, 1, 1234567, MAX_INT64), List.of()));
        assertEquals("0%:100%:1.235e+08%:1.845e+21%:", expand(t, Fixtures.typed(GoType.UINT64, 0, 1, 1234567, -1L), List.of()));
        assertEquals("-22.22%:0%:12.35%:123.5%",
                expand("{{ \"-0.22222\" | humanizePercentage }}:{{ \"0.0\" | humanizePercentage }}:{{ \"0.1234567\" | humanizePercentage }}:{{ \"1.23456\" | humanizePercentage }}"));
        assertEquals("error executing template test: template: test:1:11: executing \"test\" at <humanizePercentage>: error calling humanizePercentage: strconv.ParseFloat: parsing \"one\": invalid syntax",
                error("{{ \"one\" | humanizePercentage }}"));
    }

    @Test
    void humanizeTimestamp() throws Exception {
        String t = "{{ range . }}{{ humanizeTimestamp . }}:{{ end }}";
        assertEquals("1970-01-01 00:00:00 +0000 UTC:1969-12-31 23:59:59 +0000 UTC:1970-01-01 00:00:01 +0000 UTC:1970-01-15 06:56:07 +0000 UTC:2262-04-11 23:47:16 +0000 UTC:",
                expand(t, Fixtures.typed(GoType.INT64, 0, -1, 1, 1234567, 9223372036L), List.of()));
        assertEquals("1970-01-01 00:00:00 +0000 UTC:1970-01-01 00:00:01 +0000 UTC:1970-01-15 06:56:07 +0000 UTC:2262-04-11 23:47:16 +0000 UTC:",
                expand(t, Fixtures.typed(GoType.UINT64, 0, 1, 1234567, 9223372036L), List.of()));
        assertEquals("error executing template test: template: test:1:16: executing \"test\" at <humanizeTimestamp .>: error calling humanizeTimestamp: -9.223372036854776e+18 cannot be represented as a nanoseconds timestamp since it overflows int64",
                error(t, Fixtures.typed(GoType.INT64, Long.MIN_VALUE, Long.MAX_VALUE), List.of()));
        assertEquals("error executing template test: template: test:1:16: executing \"test\" at <humanizeTimestamp .>: error calling humanizeTimestamp: 1.8446744073709552e+19 cannot be represented as a nanoseconds timestamp since it overflows int64",
                error(t, Fixtures.typed(GoType.UINT64, -1L), List.of()));
        assertEquals("2015-06-23 13:19:44.128 +0000 UTC", expand("{{ 1435065584.128 | humanizeTimestamp }}"));
        assertEquals("2015-06-23 13:19:44.128 +0000 UTC", expand("{{ \"1435065584.128\" | humanizeTimestamp }}"));
    }

    @Test
    void toTimeToDurationAndNow() throws Exception {
        assertEquals("2015", expand("{{ (1435065584.128 | toTime).Format \"2006\" }}"));
        assertEquals("2015", expand("{{ (\"1435065584.128\" | toTime).Format \"2006\" }}"));
        assertEquals("30m0s", expand("{{ (1800 | toDuration).String }}"));
        assertEquals("30m0s", expand("{{ (\"1800\" | toDuration).String }}"));
        assertEquals("1.353755652e+09", expand("{{ now }}"));
        assertEquals("Sat Nov 24 11:14:12 2012", expand("{{ (now | toTime).Format \"Mon Jan 2 15:04:05 2006\" }}"));
        assertEquals("1353753852000", expand("{{ (\"-30m\" | parseDuration | toDuration | (now | toTime).Add).UnixMilli }}"));
    }

    @Test
    void caseAndMatchFunctions() throws Exception {
        assertEquals("Aa Bb CC", expand("{{ \"aa bb CC\" | title }}"));
        assertEquals("AA BB CC", expand("{{ \"aa bb CC\" | toUpper }}"));
        assertEquals("aa bb cc", expand("{{ \"aA bB CC\" | toLower }}"));
        assertEquals("true false", expand("{{ match \"a+\" \"aa\" }} {{ match \"a+\" \"b\" }}"));
    }

    @Test
    void linksAndUrls() throws Exception {
        assertEquals("/graph?g0.expr=up&g0.tab=0", expand("{{ graphLink \"up\" }}"));
        assertEquals("/graph?g0.expr=up&g0.tab=1", expand("{{ tableLink \"up\" }}"));
        assertEquals("/path/prefix", expand("{{ pathPrefix }}"));
        assertEquals("http://testhost:9090/path/prefix", expand("{{ externalURL }}"));
    }

    @Test
    void tmplInConsoleMode() throws Exception {
        assertEquals("x", Fixtures.expandHtmlMode("{{ define \"a\" }}x{{ end }}{{ $name := \"a\"}}{{ tmpl $name . }}"));
        // Alert templates are text templates: Prometheus has no tmpl there.
        assertEquals("error parsing template test: template: test:1: function \"tmpl\" not defined", error("{{ tmpl \"a\" . }}"));
    }

    @Test
    void parseDuration() throws Exception {
        assertEquals("3720.01", expand("{{ printf \"%0.2f\" (parseDuration \"1h2m10ms\") }}"));
        assertEquals("-3720.01", expand("{{ printf \"%0.2f\" (parseDuration \"-1h2m10ms\") }}"));
    }

    @Test
    void floatToTime() throws Exception {
        assertEquals(new GoValues.GoTime(1657155181L, 0), PromFuncs.floatToTime(1657155181));
        assertThrows(Func.CallError.class, () -> PromFuncs.floatToTime(1.79769313486231570814527423731704356798070e+300));
        assertThrows(Func.CallError.class, () -> PromFuncs.floatToTime(-1.79769313486231570814527423731704356798070e+300));
    }
}
