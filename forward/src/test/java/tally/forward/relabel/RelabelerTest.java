package tally.forward.relabel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tally.model.Labels;

/**
 * Relabeling as Prometheus's model/relabel does it: the cases of its relabel_test.go (TestRelabel, TestRelabelValidate),
 * written anew, and the corners of Go's regexp Expand and labels.Builder that decide results.
 */
class RelabelerTest {
    private static RelabelConfig rc(String action, List<String> sources, String regex, String target, String replacement) {
        return RelabelConfig.of(action, sources, regex, target, replacement);
    }

    private static Labels run(Labels in, RelabelConfig... rules) {
        return new Relabeler(List.of(rules)).apply(in);
    }

    private static Labels l(String... kv) {
        return Labels.of(kv);
    }

    @Test
    void replaceWithGroups() {
        Labels in = l("a", "foo", "b", "bar", "c", "baz");
        assertEquals(l("a", "foo", "b", "bar", "c", "baz", "d", "choo-choo"),
                run(in, rc("replace", List.of("a"), "f(.*)", "d", "ch${1}-ch${1}")));
        assertEquals(l("a", "boobam", "b", "bar", "c", "baz", "d", "boooom"),
                run(in, rc("replace", List.of("a", "b"), "f(.*);(.*)r", "a", "b${1}${2}m"),
                        rc("replace", List.of("c", "a"), "(b).*b(.*)ba(.*)", "d", "$1$2$2$3")));
        assertEquals(l("a", "abc", "d", "b"), run(l("a", "abc"), rc("replace", List.of("a"), ".*(b).*", "d", "$1")));
    }

    @Test
    void dropAndKeep() {
        assertNull(run(l("a", "foo"), rc("drop", List.of("a"), ".*o.*", null, null),
                rc("replace", List.of("a"), "f(.*)", "d", "ch$1-ch$1")));
        assertNull(run(l("a", "foo", "b", "bar"), rc("drop", List.of("a"), ".*o.*", null, null)));
        Labels foo = l("a", "foo");
        assertSame(foo, run(foo, rc("drop", List.of("a"), "no-match", null, null)), "nothing changed: the input itself");
        assertSame(foo, run(foo, rc("drop", List.of("a"), "f|o", null, null)), "fully anchored: f|o does not match foo");
        assertNull(run(foo, rc("keep", List.of("a"), "no-match", null, null)));
        assertSame(foo, run(foo, rc("keep", List.of("a"), "f.*", null, null)));
        // a missing source label is "", which the default regex matches
        assertNull(run(foo, rc("drop", List.of("zzz"), null, null, null)));
        assertSame(foo, run(foo, rc("keep", List.of("zzz"), "", null, null)));
    }

    @Test
    void noMatchNoReplacementAndEmptyResultDeletes() {
        assertEquals(l("a", "boo"), run(l("a", "boo"), rc("replace", List.of("a"), "f", "b", "bar")));
        // "$2" of a regex with one group is "": the target label "f" is deleted
        assertEquals(l("a", "foo"), run(l("a", "foo", "f", "baz"), rc("replace", List.of("a"), "(f).*", "$1", "$2")));
    }

    @Test
    void hashmodAsPrometheus() {
        RelabelConfig c = new RelabelConfig(List.of("c"), ";", null, 1000, "d", null, "hashmod");
        assertEquals(l("a", "foo", "b", "bar", "c", "baz", "d", "976"), run(l("a", "foo", "b", "bar", "c", "baz"), c));
        RelabelConfig nl = new RelabelConfig(List.of("a"), ";", null, 1000, "b", null, "hashmod");
        assertEquals(l("a", "foo\nbar", "b", "734"), run(l("a", "foo\nbar"), nl));
        // the modulus is Go's uint64: 2^64-1 as a long is -1
        RelabelConfig big = new RelabelConfig(List.of("c"), null, null, -1, "d", null, "hashmod");
        assertEquals(Long.toUnsignedString(Relabeler.hash("baz")), run(l("c", "baz"), big).get("d"));
    }

    @Test
    void labelmapLabeldropLabelkeep() {
        Labels in = l("a", "foo", "b1", "bar", "b2", "baz");
        assertEquals(l("a", "foo", "b1", "bar", "b2", "baz", "bar_b1", "bar", "bar_b2", "baz"),
                run(in, rc("labelmap", null, "(b.*)", null, "bar_${1}")));
        assertEquals(l("a", "foo", "__meta_my_bar", "aaa", "__meta_my_baz", "bbb", "__meta_other", "ccc", "my_bar", "aaa", "my_baz", "bbb"),
                run(l("a", "foo", "__meta_my_bar", "aaa", "__meta_my_baz", "bbb", "__meta_other", "ccc"),
                        rc("labelmap", null, "__meta_(my.*)", null, "${1}")));
        assertEquals(l("b1", "bar", "b2", "baz"), run(in, rc("labelkeep", null, "(b.*)", null, null)));
        assertEquals(l("a", "foo"), run(in, rc("labeldrop", null, "(b.*)", null, null)));
    }

    @Test
    void targetLabelFromGroups() {
        Labels in = l("a", "some-name-value");
        assertEquals(l("a", "some-name-value", "name", "value"),
                run(in, rc("replace", List.of("a"), "some-([^-]+)-([^,]+)", "${1}", "${2}")));
        assertEquals(in, run(in, rc("replace", List.of("a"), "some-([^-]+)-([^,]+)", "${1}", "${3}")), "empty value, label absent");
        Labels zero = l("a", "some-name-0");
        assertEquals(zero, run(zero, rc("replace", List.of("a"), "some-([^-]+)-([^,]+)", "${3}", "${1}"),
                rc("replace", List.of("a"), "some-([^-]+)(-[^,]+)", "${3}", "${1}")), "an empty target name is skipped");
    }

    @Test
    void realLifeTags() {
        Labels out = run(l("__meta_sd_tags", "path:/secret,job:some-job,label:foo=bar"),
                rc("replace", List.of("__meta_sd_tags"), "(?:.+,|^)path:(/[^,]+).*", "__metrics_path__", "${1}"),
                rc("replace", List.of("__meta_sd_tags"), "(?:.+,|^)job:([^,]+).*", "job", "${1}"),
                rc("replace", List.of("__meta_sd_tags"), "(?:.+,|^)label:([^=]+)=([^,]+).*", "${1}", "${2}"));
        assertEquals(l("__meta_sd_tags", "path:/secret,job:some-job,label:foo=bar", "__metrics_path__", "/secret", "job", "some-job",
                "foo", "bar"), out);
    }

    @Test
    void issue12283LabeldropThenSetAgain() {
        Labels out = run(l("__meta_kubernetes_pod_container_port_name", "foo", "__meta_kubernetes_pod_annotation_XXX_metrics_port", "9091"),
                rc("labeldrop", null, "^__meta_kubernetes_pod_container_port_name$", null, null),
                rc("replace", List.of("__meta_kubernetes_pod_annotation_XXX_metrics_port"), "(.+)",
                        "__meta_kubernetes_pod_container_port_name", "metrics"),
                rc("keep", List.of("__meta_kubernetes_pod_container_port_name"), "^metrics$", null, null));
        assertEquals(l("__meta_kubernetes_pod_annotation_XXX_metrics_port", "9091", "__meta_kubernetes_pod_container_port_name", "metrics"), out);
    }

    @Test
    void caseActions() {
        Labels out = run(l("foo", "bAr123Foo"), rc("uppercase", List.of("foo"), null, "foo_uppercase", null),
                rc("lowercase", List.of("foo"), null, "foo_lowercase", null));
        assertEquals(l("foo", "bAr123Foo", "foo_lowercase", "bar123foo", "foo_uppercase", "BAR123FOO"), out);
        // Go maps rune by rune: ß has no one-rune upper case, İ lowers to i
        assertEquals("STRAßE", Relabeler.upperCase("straße"));
        assertEquals("i", Relabeler.lowerCase("\u0130"));
        assertEquals("ÄÖÜ", Relabeler.upperCase("äöü"));
    }

    @Test
    void keepequalDropequal() {
        Labels in = l("__tmp_port", "1234", "__port1", "1234", "__port2", "5678");
        assertSame(in, run(in, rc("keepequal", List.of("__tmp_port"), null, "__port1", null)));
        assertNull(run(in, rc("dropequal", List.of("__tmp_port"), null, "__port1", null)));
        assertSame(in, run(in, rc("dropequal", List.of("__tmp_port"), null, "__port2", null)));
        assertNull(run(in, rc("keepequal", List.of("__tmp_port"), null, "__port2", null)));
    }

    @Test
    void dotMatchesNewlineAndUtf8Names() {
        Labels in = l("a", "line1\nline2", "b", "bar", "c", "baz");
        assertEquals(l("a", "line1\nline2", "b", "bar", "c", "baz", "d", "match"),
                run(in, rc("replace", List.of("a"), "line1.*line2", "d", "match${1}")));
        Labels utf = l("utf-8.label", "line1\nline2", "b", "bar");
        assertEquals("match", run(utf, rc("replace", List.of("utf-8.label"), "line1.*line2", "d", "match${1}")).get("d"));
        assertEquals("match", run(in, rc("replace", List.of("a"), "line1.*line2", "utf-8.label", "match${1}")).get("utf-8.label"));
        assertEquals("match", run(in, rc("replace", List.of("a"), "line1.*line2", "utf-8.label${1}", "match${1}")).get("utf-8.label"));
        Labels out = run(in, rc("replace", List.of("a"), "(line1).*(?<second>line2)", "label1_${1}", "val_${second}"),
                rc("replace", List.of("a"), "(line1).*(?<second>line2)", "label2_$1", "val_$second"));
        assertEquals("val_line2", out.get("label1_line1"));
        assertEquals("val_line2", out.get("label2_line1"));
    }

    @Test
    void typeAndUnitLabels() {
        assertEquals("counter", run(l("__name__", "http_requests_total"),
                rc("replace", List.of("__name__"), ".*_total$", "__type__", "counter")).get("__type__"));
        assertEquals("bytes", run(l("__name__", "disk_usage_bytes"),
                rc("replace", List.of("__name__"), ".*_bytes$", "__unit__", "bytes")).get("__unit__"));
    }

    @Test
    void goExpandCorners() {
        Labels in = l("a", "xy");
        // $1x names group "1x", which does not exist: nothing
        assertEquals("-", run(in, rc("replace", List.of("a"), "(x)(y)", "t", "$1x-")).get("t"));
        assertEquals("xx-", run(in, rc("replace", List.of("a"), "(x)(y)", "t", "${1}x-")).get("t"));
        assertEquals("$x", run(in, rc("replace", List.of("a"), "(x)(y)", "t", "$$$1")).get("t"));
        assertEquals("a$", run(in, rc("replace", List.of("a"), "(x)(y)", "t", "a$")).get("t"), "a trailing $ is text");
        assertEquals("${", run(in, rc("replace", List.of("a"), "(x)(y)", "t", "${")).get("t"));
        assertEquals("$ {1}", run(in, rc("replace", List.of("a"), "(x)(y)", "t", "$ {1}")).get("t"));
        assertEquals("${1", run(in, rc("replace", List.of("a"), "(x)(y)", "t", "${1")).get("t"), "missing brace: text");
        assertEquals("y", run(in, rc("replace", List.of("a"), "(x)(y)", "t", "$2")).get("t"));
        // a leading zero makes a name, not a number
        assertEquals(null, run(in, rc("replace", List.of("a"), "(x)(y)", "t", "$01")).get("t"));
        assertEquals("x", run(in, rc("replace", List.of("a"), "(?P<01>x)(y)", "t", "$01")).get("t"));
        assertEquals("xy", run(in, rc("replace", List.of("a"), "(x)(y)", "t", "$0")).get("t"));
        // a group that did not take part expands to nothing
        assertEquals("[]", run(in, rc("replace", List.of("a"), "(z)?xy", "t", "[$1]")).get("t"));
        assertEquals("xy", run(in, rc("replace", List.of("a"), "(?P<name>x)(y)", "t", "${name}$2")).get("t"));
    }

    @Test
    void fastPathSetsAndDeletesStaticLabels() {
        Labels in = l("job", "foo", "abc", "def");
        assertEquals(l("job", "foo", "abc", "def", "cluster", "dev"), run(in, rc("replace", null, null, "cluster", "dev")));
        assertEquals(l("job", "foo"), run(in, rc("replace", null, null, "abc", "")), "static empty replacement deletes");
        // ${0} as the target: the whole match, here "" (no sources), an invalid name: skipped
        assertSame(in, run(in, rc("replace", null, null, "${0}", "dropped")));
        assertEquals(l("job", "foo", "abc", "def"), run(in, rc("replace", null, null, "dropped", "${0}")));
        assertEquals("value", run(in, rc("replace", List.of("something"), null, "with_source_labels", "value")).get("with_source_labels"));
    }

    @Test
    void labelmapUsesTheLabelsAsTheyWereAndLastSetWins() {
        // both a and b map to "t": base labels in name order, so b's value wins
        assertEquals("2", run(l("a", "1", "b", "2"), rc("labelmap", null, "(a|b)", null, "t")).get("t"));
        // labels set by earlier rules come after the base labels, in the order they were set
        Labels out = run(l("b", "base"), rc("replace", null, null, "a", "added"), rc("labelmap", null, "(a|b)", null, "t"));
        assertEquals("added", out.get("t"));
        // a label mapped onto one visited later: the later one still maps with the value it had when the rule started
        assertEquals(l("a", "1", "b", "2"), run(l("a", "1", "b", "2"), rc("labelmap", null, "(a|b)", null, "b")));
        assertEquals(l("a", "1", "b", "1"), run(l("a", "1", "b", "2"), rc("labelmap", null, "a", null, "b")));
    }

    @Test
    void sourceLabelsSetEarlierAreSeen() {
        Labels out = run(l("a", "x"), rc("replace", List.of("a"), "(.*)", "b", "${1}-b"), rc("replace", List.of("b"), "(.*)", "c", "${1}-c"),
                rc("labeldrop", null, "a", null, null), rc("replace", List.of("a"), "", "gone", "yes"));
        assertEquals(l("b", "x-b", "c", "x-b-c", "gone", "yes"), out);
    }

    @Test
    void kubernetesExampleFromTheBenchmark() {
        List<RelabelConfig> rules = new ArrayList<>(List.of(
                rc("keep", List.of("__meta_kubernetes_pod_container_port_name"), ".*-metrics", null, null),
                rc("drop", List.of("__meta_kubernetes_pod_label_name"), "", null, null),
                rc("drop", List.of("__meta_kubernetes_pod_phase"), "Succeeded|Failed", null, null),
                rc("replace", List.of("__address__", "__meta_kubernetes_pod_annotation_prometheus_io_port"), "(.+?)(\\:\\d+)?;(\\d+)",
                        "__address__", "$1:$3"),
                rc("labelmap", null, "__meta_kubernetes_pod_label_prometheus_io_label_(.+)", null, null),
                new RelabelConfig(List.of("__meta_kubernetes_namespace", "__meta_kubernetes_pod_label_name"), "/", null, 0, "job", "$1", "replace"),
                new RelabelConfig(List.of("__address__"), null, null, 3, "__tmp_hash", null, "hashmod")));
        Labels in = l("__address__", "10.132.183.40:80", "__meta_kubernetes_namespace", "loki", "__meta_kubernetes_pod_container_port_name",
                "http-metrics", "__meta_kubernetes_pod_label_name", "promtail", "__meta_kubernetes_pod_phase", "Running",
                "__meta_kubernetes_pod_annotation_prometheus_io_port", "9100",
                "__meta_kubernetes_pod_label_prometheus_io_label_team", "obs");
        Labels out = new Relabeler(rules).apply(in);
        assertEquals("10.132.183.40:9100", out.get("__address__"));
        assertEquals("loki/promtail", out.get("job"));
        assertEquals("obs", out.get("team"));
        assertEquals(Long.toString(Long.remainderUnsigned(Relabeler.hash("10.132.183.40:9100"), 3)), out.get("__tmp_hash"));
    }

    @Test
    void noRulesReturnsTheInput() {
        Labels in = l("a", "b");
        assertSame(in, Relabeler.NONE.apply(in));
        assertTrue(Relabeler.NONE.isEmpty());
    }

    @Test
    void aRegexOverItsBudgetDropsTheSeriesAndIsCounted() {
        Relabeler r = new Relabeler(List.of(rc("keep", List.of("a"), "(.*a){12}x", null, null)));
        assertNull(r.apply(l("a", "a".repeat(60))));
        assertEquals(1, r.overBudget());
    }

    // ---- validation (TestRelabelValidate and Config.Validate's other checks) ----

    private interface Maker {
        RelabelConfig make();
    }

    private static String invalid(Maker m) {
        return assertThrows(IllegalArgumentException.class, m::make).getMessage();
    }

    @Test
    void validationMessagesAsPrometheus() {
        assertEquals("relabel action cannot be empty", invalid(() -> rc("", null, null, "x", null)));
        assertEquals("relabel configuration for replace action requires 'target_label' value", invalid(() -> rc("replace", null, null, null, null)));
        assertEquals("relabel configuration for lowercase action requires 'target_label' value", invalid(() -> rc("lowercase", null, null, null, null)));
        assertEquals("relabel configuration for hashmod requires non-zero modulus", invalid(() -> rc("hashmod", List.of("a"), null, "t", null)));
        assertEquals("'replacement' can not be set for uppercase action", invalid(() -> rc("uppercase", List.of("a"), null, "t", "x")));
        assertEquals("keepequal action requires only 'source_labels' and `target_label`, and no other fields",
                invalid(() -> rc("keepequal", List.of("a"), "(.*)", "t", null)), "a regex given at all, even the default one");
        assertEquals("dropequal action requires only 'source_labels' and `target_label`, and no other fields",
                invalid(() -> new RelabelConfig(List.of("a"), ",", null, 0, "t", null, "dropequal")));
        assertEquals("labeldrop action requires only 'regex', and no other fields", invalid(() -> rc("labeldrop", List.of("a"), "x", null, null)));
        assertEquals("labelkeep action requires only 'regex', and no other fields", invalid(() -> rc("labelkeep", null, "x", "t", null)));
        assertEquals("\"\" is invalid 'replacement' for labelmap action", invalid(() -> rc("labelmap", null, "x", null, "")));
        assertEquals("unknown relabel action \"rename\"", invalid(() -> rc("rename", null, null, "t", null)));
        assertEquals("\"\" is not a valid label name", invalid(() -> rc("keep", List.of(""), null, null, null)));
        assertEquals("error parsing regexp: missing closing ): `^(?s:(foo)$`", invalid(() -> rc("keep", List.of("a"), "(foo", null, null)));
        assertTrue(invalid(() -> rc("keep", List.of("a"), "a(?=b)", null, null)).startsWith("error parsing regexp: invalid or unsupported Perl syntax"));
    }

    @Test
    void validConfigsAsPrometheus() {
        // with UTF-8 names these are legal (legacy validation refused some)
        rc("lowercase", null, null, "${3}", "$1");
        rc("replace", List.of("a"), "some-([^-]+)-([^,]+)", "${3}", "${1}");
        rc("replace", List.of("a"), "some-([^-]+)-([^,]+)", "0${3}", "${1}");
        rc("replace", List.of("a"), "some-([^-]+)-([^,]+)", "-${3}", "${1}");
        rc("labelmap", null, "__meta_kubernetes_pod_label_(strimzi_io_.+)", null, "$1");
        rc("labelmap", null, "__meta_(.+)", null, "${1}");
        rc("replace", List.of("a"), null, "foo.bar", null);
        RelabelConfig upper = rc("Keep", List.of("a"), null, null, null);
        assertEquals("keep", upper.action(), "actions are case-insensitive");
        RelabelConfig d = rc(null, List.of("a"), null, "b", null);
        assertEquals(List.of("replace", ";", "(.*)", "$1"), List.of(d.action(), d.separator(), d.regex(), d.replacement()));
    }
}
