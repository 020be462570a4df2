package tally.rules.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static tally.rules.template.Fixtures.error;
import static tally.rules.template.Fixtures.expand;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Go text/template syntax and semantics, one feature per test. Data-free templates run with no dot. */
class GoTemplateSyntaxTest {
    private static final Object ALERT = GoValues.alertData(new AlertTemplateData(
            Map.of("b", "2", "a", "1", "C", "3", "job", "api"), Map.of(), "", 42.0));

    private static String run(String text) throws TemplateException {
        return expand(text, ALERT, List.of());
    }

    @Test
    void textAndActions() throws Exception {
        assertEquals("a 1 b", expand("a {{ 1 }} b"));
        assertEquals("no actions at all", expand("no actions at all"));
        assertEquals("", expand(""));
    }

    @Test
    void trimMarkers() throws Exception {
        assertEquals("23<45", expand("{{23 -}} < {{- 45}}"));
        assertEquals("a1\n  b", expand("a\n  {{- 1 }}\n  b"));
        assertEquals("1x", expand("{{ 1 -}}\n\n  x"));
        // Without the space the minus belongs to the number.
        assertEquals("-3", expand("{{-3}}"));
    }

    @Test
    void comments() throws Exception {
        assertEquals("ab", expand("a{{/* a comment */}}b"));
        assertEquals("ab", expand("a {{- /* trimmed both sides */ -}} b"));
        assertEquals("a\nb", expand("a{{/* may\nspan lines */}}\nb"));
        assertEquals("error parsing template test: template: test:1: unclosed comment", error("{{/* open"));
    }

    @Test
    void actionsMaySpanLines() throws Exception {
        assertEquals("yes", run("{{ if\n  .Value\n}}yes{{ end }}"));
    }

    @Test
    void pipelinesPassTheValueAsLastArgument() throws Exception {
        assertEquals("b-a", expand("{{ \"a\" | printf \"%s-%s\" \"b\" }}"));
        assertEquals("\"42.00\"", run("{{ .Value | printf \"%.2f\" | printf \"%q\" }}"));
        assertEquals("3", expand("{{ (len \"abc\") }}"));
        assertEquals("x=3", expand("{{ printf \"x=%d\" (len (print 1 2)) }}"));
    }

    @Test
    void variables() throws Exception {
        assertEquals("2", expand("{{ $x := 1 }}{{ $x = 2 }}{{ $x }}"));
        // A declaration prints nothing; $ is the data.
        assertEquals("api", run("{{ $l := .Labels }}{{ $l.job }}"));
        assertEquals("api", run("{{ with .Labels }}{{ $.Labels.job }}{{ end }}"));
    }

    @Test
    void variableScopeEndsWithTheControlStructure() throws Exception {
        assertEquals("21", expand("{{ $x := 1 }}{{ if true }}{{ $x := 2 }}{{ $x }}{{ end }}{{ $x }}"));
        // Assignment reaches the outer variable (the last label in key order is job).
        assertEquals("api", run("{{ $x := 0 }}{{ range .Labels }}{{ $x = . }}{{ end }}{{ $x }}"));
        assertEquals("error parsing template test: template: test:1: undefined variable \"$y\"",
                error("{{ range $x := \"\" }}{{ $y := 1 }}{{ end }}{{ $y }}"));
        // A template call sees only $.
        assertEquals("error parsing template test: template: test:1: undefined variable \"$x\"",
                error("{{ $x := 1 }}{{ define \"t\" }}{{ $x }}{{ end }}"));
        assertEquals("error executing template test: template: test:1:8: executing \"test\" at <1>: undefined variable: $x", error("{{ $x = 1 }}"));
    }

    @Test
    void fieldChainsAndMapKeys() throws Exception {
        assertEquals("api", run("{{ .Labels.job }}"));
        assertEquals("api", run("{{ $.Labels.job }}"));
        assertEquals("1", run("{{ index .Labels \"a\" }}"));
        // missingkey=zero: a missing label is the empty string.
        assertEquals("[]", run("[{{ .Labels.nope }}]"));
        assertEquals("error executing template test: template: test:1:10: executing \"test\" at <.Labels.job.x>: can't evaluate field x in type string",
                error("{{ .Labels.job.x }}", ALERT, List.of()));
        assertEquals("error executing template test: template: test:1:3: executing \"test\" at <.labels>: can't evaluate field labels in type "
                + "struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value interface {} }",
                error("{{ .labels }}", ALERT, List.of()));
    }

    @Test
    void ifElseIfChains() throws Exception {
        String t = "{{ if eq . 1 }}one{{ else if eq . 2 }}two{{ else if eq . 3 }}three{{ else }}many{{ end }}";
        assertEquals("one", expand("{{ with $x := 1 }}" + t + "{{ end }}"));
        assertEquals("three", expand("{{ with $x := 3 }}" + t + "{{ end }}"));
        assertEquals("many", expand("{{ with $x := 9 }}" + t + "{{ end }}"));
    }

    @Test
    void truthiness() throws Exception {
        String t = "{{ range . }}{{ if . }}T{{ else }}F{{ end }}{{ end }}";
        assertEquals("FTFT", expand(t, Fixtures.floats(0, 1, -0.0, Double.NaN), List.of()));
        assertEquals("FT", expand(t, Fixtures.strings("", "x"), List.of()));
        assertEquals("F", expand("{{ if .Labels.nope }}T{{ else }}F{{ end }}", ALERT, List.of()));
        assertEquals("T", run("{{ if . }}T{{ end }}"));
        assertEquals("FT", expand("{{ if 0 }}T{{ else }}F{{ end }}{{ if args 0 }}T{{ end }}"));
    }

    @Test
    void withAndElseWith() throws Exception {
        assertEquals("api", run("{{ with .Labels.job }}{{ . }}{{ end }}"));
        assertEquals("none", run("{{ with .Labels.nope }}{{ . }}{{ else }}none{{ end }}"));
        // Go 1.23: else with.
        assertEquals("1", run("{{ with .Labels.nope }}x{{ else with .Labels.a }}{{ . }}{{ else }}none{{ end }}"));
        assertEquals("none", run("{{ with .Labels.nope }}x{{ else with .Labels.nope2 }}{{ . }}{{ else }}none{{ end }}"));
        assertEquals("error parsing template test: template: test:1: unexpected <if> in input",
                error("{{ range . }}x{{ else if . }}y{{ end }}"));
    }

    @Test
    void rangeOverMapsIsInKeyOrder() throws Exception {
        // Byte order: upper case before lower case.
        assertEquals("C=3;a=1;b=2;job=api;", run("{{ range $k, $v := .Labels }}{{ $k }}={{ $v }};{{ end }}"));
        assertEquals("3,1,2,api,", run("{{ range .Labels }}{{ . }},{{ end }}"));
        assertEquals("3", run("{{ range $v := .Labels }}{{ $v }}{{ break }}{{ end }}"));
    }

    @Test
    void rangeOverSlicesWithIndexElseBreakContinue() throws Exception {
        assertEquals("0:a 1:b ", expand("{{ range $i, $s := . }}{{ $i }}:{{ $s }} {{ end }}", Fixtures.strings("a", "b"), List.of()));
        assertEquals("empty", expand("{{ range . }}x{{ else }}empty{{ end }}", Fixtures.strings(), List.of()));
        assertEquals("a", expand("{{ range . }}{{ if eq . \"b\" }}{{ break }}{{ end }}{{ . }}{{ end }}", Fixtures.strings("a", "b", "c"), List.of()));
        assertEquals("ac", expand("{{ range . }}{{ if eq . \"b\" }}{{ continue }}{{ end }}{{ . }}{{ end }}", Fixtures.strings("a", "b", "c"), List.of()));
        assertEquals("error parsing template test: template: test:1: {{break}} outside {{range}}", error("{{ break }}"));
    }

    @Test
    void rangeOverIntegers() throws Exception {
        // Go 1.24: range over an integer counts from 0.
        assertEquals("012", expand("{{ range 3 }}{{ . }}{{ end }}"));
        assertEquals("01", expand("{{ range $i := 2 }}{{ $i }}{{ end }}"));
        assertEquals("none", expand("{{ range 0 }}x{{ else }}none{{ end }}"));
        assertEquals("error executing template test: template: test:1:19: executing \"test\" at <3>: can't use 3 to iterate over more than one variable",
                error("{{ range $i, $v := 3 }}{{ end }}"));
        assertEquals("error executing template test: template: test:1:9: executing \"test\" at <\"abc\">: range can't iterate over abc",
                error("{{ range \"abc\" }}{{ end }}"));
    }

    @Test
    void defineTemplateBlock() throws Exception {
        assertEquals("[api][<no value>]", run("{{ define \"t\" }}[{{ . }}]{{ end }}{{ template \"t\" .Labels.job }}{{ template \"t\" }}"));
        assertEquals("<api><z>", run("{{ block \"b\" .Labels.job }}<{{ . }}>{{ end }}{{ template \"b\" \"z\" }}"));
        assertEquals("error executing template test: template: test:1:12: executing \"test\" at <{{template \"nope\"}}>: template \"nope\" not defined",
                error("{{ template \"nope\" }}"));
        assertEquals("error parsing template test: template: test:1: template: multiple definition of template \"a\"",
                error("{{ define \"a\" }}x{{ end }}{{ define \"a\" }}y{{ end }}"));
        // Runaway recursion stops with Go's error.
        assertEquals("error executing template test: template: test:1:28: executing \"x\" at <{{template \"x\"}}>: exceeded maximum template depth (100000)",
                error("{{ define \"x\" }}{{ template \"x\" }}{{ end }}{{ template \"x\" }}"));
    }

    @Test
    void literals() throws Exception {
        assertEquals("A\u00e9\ud83d\ude00\t|", expand("{{ \"\\x41\\u00e9\\U0001F600\\t\" }}|"));
        assertEquals("raw\\n", expand("{{ `raw\\n` }}"));
        assertEquals("10 65 255 233", expand("{{ '\\n' }} {{ '\\x41' }} {{ '\\377' }} {{ '\u00e9' }}"));
        assertEquals("15 5 15 1e-07 0.5 -0.5 5 31 10.5 31", expand("{{ 0o17 }} {{ 0b101 }} {{ 017 }} {{ 1e-7 }} {{ .5 }} {{ -.5 }} {{ +5 }} {{ 0x1F }} {{ 1_0.5 }} {{ 0x_1F }}"));
        assertEquals("1e+06 1 100000 true false", expand("{{ 1e6 }} {{ 1.0 }} {{ 100000.0 }} {{ true }} {{ false }}"));
        assertEquals("(1+2i) (0+2i)", expand("{{ 1+2i }} {{ 2i }}"));
        assertEquals("error executing template test: template: test:1:3: executing \"test\" at <nil>: nil is not a command", error("{{ nil }}"));
        assertEquals("error parsing template test: template: test:1: integer overflow: \"99999999999999999999\"", error("{{ 99999999999999999999 }}"));
        assertEquals("error parsing template test: template: test:1: bad number syntax: \"3x\"", error("{{ 3x }}"));
        assertEquals("error parsing template test: template: test:1: malformed character constant: 'ab'", error("{{ 'ab' }}"));
        assertEquals("error parsing template test: template: test:1: unterminated quoted string", error("{{ \"abc }}"));
    }

    @Test
    void numberConstantsTakeTheParameterType() throws Exception {
        // Untyped: 1 is int, 1.0 float64; against a float64 parameter 1 is a float.
        assertEquals("int float64", expand("{{ printf \"%T %T\" 1 1.0 }}"));
        assertEquals("error executing template test: template: test:1:11: executing \"test\" at <1>: expected string; found 1", error("{{ toUpper 1 }}"));
    }

    @Test
    void andOrShortCircuit() throws Exception {
        assertEquals("0", expand("{{ and 1 0 2 }}"));
        assertEquals("x", expand("{{ or 0 \"\" \"x\" }}"));
        // The failing second operand is never evaluated.
        assertEquals("1", expand("{{ or 1 (query \"x\" | first) }}"));
        assertEquals("0", expand("{{ and 0 (query \"x\" | first) }}"));
        assertEquals("true false", expand("{{ not 0 }} {{ not \"x\" }}"));
    }

    @Test
    void comparisons() throws Exception {
        assertEquals("true true false", expand("{{ eq 1 3 2 1 }} {{ eq \"a\" \"a\" }} {{ ne 1 1 }}"));
        assertEquals("true true true true", expand("{{ lt 1 2 }} {{ le 2 2 }} {{ gt 2.5 1.5 }} {{ ge \"b\" \"a\" }}"));
        // Integers compare across signedness; int and float do not mix.
        assertEquals("true", expand("{{ eq (index \"a\" 0) 97 }}"));
        assertEquals("error executing template test: template: test:1:3: executing \"test\" at <eq 1 1.0>: error calling eq: incompatible types for comparison",
                error("{{ eq 1 1.0 }}"));
        assertEquals("error executing template test: template: test:1:3: executing \"test\" at <lt true false>: error calling lt: invalid type for comparison",
                error("{{ lt true false }}"));
        assertEquals("error executing template test: template: test:1:3: executing \"test\" at <eq 1>: error calling eq: missing argument for comparison",
                error("{{ eq 1 }}"));
    }

    @Test
    void lenIndexSlice() throws Exception {
        assertEquals("4 6", run("{{ len .Labels }} {{ len \"h\u00e9llo\" }}"));
        assertEquals("98 bc", expand("{{ index \"abc\" 1 }} {{ slice \"abcdef\" 1 3 }}"));
        assertEquals("b", expand("{{ index . 1 }}", Fixtures.strings("a", "b"), List.of()));
        assertEquals("error executing template test: template: test:1:3: executing \"test\" at <index . 5>: error calling index: index out of range: 5",
                error("{{ index . 5 }}", Fixtures.strings("a", "b"), List.of()));
        assertEquals("error executing template test: template: test:1:3: executing \"test\" at <len 3>: error calling len: len of type int",
                error("{{ len 3 }}"));
    }

    @Test
    void printAndEscapers() throws Exception {
        assertEquals("1 2ab3.5 <nil>", expand("{{ print 1 2 \"a\" \"b\" 3.5 nil }}"));
        assertEquals("1 a\n", expand("{{ println 1 \"a\" }}"));
        assertEquals("&lt;a href=&#39;x&#39;&gt;&amp;&#34;", expand("{{ html \"<a href='x'>&\\\"\" }}"));
        assertEquals("it\\'s \\u003Cx\\u003E \\u0026 \\\"y\\\" \\u003D z\\u000A", expand("{{ js \"it's <x> & \\\"y\\\" = z\\n\" }}"));
        assertEquals("a+b%26c", expand("{{ urlquery \"a b&c\" }}"));
        assertEquals("error executing template test: template: test:1:3: executing \"test\" at <call 1>: error calling call: non-function of type int",
                error("{{ call 1 }}"));
    }

    @Test
    void parseErrors() {
        assertEquals("error parsing template test: template: test:1: function \"humanise\" not defined", error("{{ humanise 1 }}"));
        assertEquals("error parsing template test: template: test:1: unexpected EOF", error("{{ if 1 }}x"));
        assertEquals("error parsing template test: template: test:1: unexpected {{end}}", error("{{ end }}"));
        assertEquals("error parsing template test: template: test:1: missing value for if", error("{{ if }}{{ end }}"));
        assertEquals("error parsing template test: template: test:1: unexpected \")\" in command", error("{{ ) }}"));
        assertEquals("error parsing template test: template: test:1: non executable command in pipeline stage 2", error("{{ 1 | 2 }}"));
        assertEquals("error parsing template test: template: test:4: unclosed action started at test:2", error("line1\n{{ \"x\"\n\"y\"\n"));
        assertEquals("error parsing template test: template: test:2: missing value for if", error("text\n{{ if }}"));
    }

    @Test
    void executionErrorPositionsAreLineAndByteColumn() {
        assertEquals("error executing template test: template: test:2:8: executing \"test\" at <.Nope>: can't evaluate field Nope in type "
                + "struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value interface {} }",
                error("\u00e9\u00e9\n\u00fc\u00fc {{ .Nope }}", ALERT, List.of()));
    }

    @Test
    void argumentChecks() {
        assertEquals("error executing template test: template: test:1:3: executing \"test\" at <humanize>: wrong number of args for humanize: want 1 got 0",
                error("{{ humanize }}"));
        assertEquals("error executing template test: template: test:1:11: executing \"test\" at <.Value>: wrong type for value; expected string; got float64",
                error("{{ toUpper .Value }}", ALERT, List.of()));
        assertEquals("error executing template test: template: test:1:3: executing \"test\" at <\"a\">: can't give argument to non-function \"a\"",
                error("{{ \"a\" \"b\" }}"));
    }

    @Test
    void interfaceTypedValuesKeepTheirStaticType() throws Exception {
        // args builds a map[string]interface {}: its elements are interface-typed when ranged over or chained into.
        assertEquals("error executing template test: template: test:1:25: executing \"test\" at <.x>: nil pointer evaluating interface {}.x",
                error("{{ range args nil 1 }}{{ .x }}{{ end }}"));
        assertEquals("error executing template test: template: test:1:33: executing \"test\" at <$v.x>: can't evaluate field x in type interface {}",
                error("{{ range $k, $v := args 1 }}{{ $v.x }}{{ end }}"));
        assertEquals("error executing template test: template: test:1:23: executing \"test\" at <len .>: error calling len: len of nil pointer",
                error("{{ range args nil }}{{ len . }}{{ end }}"));
        assertEquals("[<no value>|<nil>|][2|2|t]", expand("{{ range args nil 2 }}[{{ . }}|{{ print . }}|{{ if . }}t{{ end }}]{{ end }}"));
        assertEquals("error executing template test: template: test:1:31: executing \"test\" at <.>: wrong type for value; expected string; got interface {}",
                error("{{ range args nil }}{{ toUpper . }}{{ end }}"));
        assertEquals("error executing template test: template: test:1:21: executing \"test\" at <slice \"abcd\" .>: error calling slice: cannot index slice/array with type interface {}",
                error("{{ range args 3 }}{{ slice \"abcd\" . }}{{ end }}"));
        assertEquals("100", expand("{{ range args 3 }}{{ index \"abcd\" . }}{{ end }}"));
        assertEquals("error executing template test: template: test:1:9: executing \"test\" at <.Value.foo>: can't evaluate field foo in type interface {}",
                error("{{ .Value.foo }}", ALERT, List.of()));
    }

    @Test
    void runawayTemplatesStopAtTallysLimits() throws Exception {
        assertEquals(10_000_000L, Exec.MAX_STEPS);
        // Go would iterate 90e9 times over a duration; Tally stops the expansion instead (budget shrunk for the test).
        Expander.Parsed p = Expander.parse("test", "{{ range (toDuration 90) }}{{ end }}", false);
        Exec.ExecError e = org.junit.jupiter.api.Assertions.assertThrows(Exec.ExecError.class,
                () -> Expander.execute(p, null, Fixtures.EMPTY, "", Exec.MissingKey.ZERO, 1000));
        assertEquals("template: test:1:9: executing \"test\" at <{{range (toDuration 90)}}{{end}}>: template execution exceeds 1000 steps (a Tally limit)",
                e.getMessage());
        String s = error("{{ $s := \"ab\" }}{{ range 40 }}{{ $s = print $s $s }}{{ end }}");
        assertEquals(true, s.endsWith("executing \"test\" at <print $s $s>: result of print exceeds 16777216 characters (a Tally limit)"), s);
    }
}
