package tally.server.fuzz;

import net.jqwik.api.Example;
import net.jqwik.api.RandomGenerator;
import tally.rules.eval.RuleFiles;
import tally.rules.file.RuleFile;
import tally.rules.file.RuleFileParser;
import tally.rules.file.RuleGroupSpec;
import tally.rules.file.RuleLoadException;
import tally.rules.file.RuleSpec;
import tally.rules.template.AlertTemplate;
import tally.rules.template.AlertTemplateData;
import tally.rules.template.QuerySample;
import tally.rules.template.TemplateContext;
import tally.rules.template.TemplateException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzz target 7: rule files, through the rules module's loader ({@link RuleFiles#parser()}, with alert templates
 * checked at load time as the server loads them). Seeds: Tally's built-in Claude Code rules, every rule file of the
 * rules module's tests (Prometheus's promtool examples among them), a file of YAML's awkward features, and rule
 * files from {@link RuleFileGen} (jqwik); mutated as text with a YAML and Go-template dictionary. Property: the file
 * loads, or a {@link RuleLoadException} whose every error names the file (and, for most, line and column); nothing
 * else. Every alert label and annotation of a file that loads is then expanded for a sample alert: a string or a
 * {@link TemplateException}, nothing else, never a hang. Long run: {@code bench/fuzz.sh rules 1000000}.
 */
class RuleFileFuzzTest {
    static final String FILE = "fuzz.rules.yml";
    private static final Pattern POSITIONED = Pattern.compile("^" + Pattern.quote(FILE) + ": (\\d+:\\d+: |yaml: line \\d+)");
    private static final AlertTemplateData DATA = new AlertTemplateData(Map.of("alertname", "A", "job", "claude-code",
            "instance", "h:9090", "severity", "page"), Map.of("cluster", "c1"), "http://tally:9090", 1.5);
    private static final TemplateContext CONTEXT = new TemplateContext() {
        @Override
        public List<QuerySample> query(String promql) throws Exception {
            if (promql.contains("nope")) throw new Exception("query failed");
            return List.of(new QuerySample(Map.of("__name__", "up", "instance", "a:1", "job", "j"), 1),
                    new QuerySample(Map.of("__name__", "up", "instance", "b:1"), Double.NaN));
        }

        @Override
        public long evalTimeMillis() {
            return SyntheticOtlp.T0_MS;
        }
    };

    @Example
    void everyRuleFileLoadsOrFailsWithPositionedErrors() throws Exception {
        List<byte[]> seeds = seeds();
        Mutator text = new Mutator(seeds, tokens(), 16 << 10, false);
        RandomGenerator<String> generated = RuleFileGen.files(PromqlGen.overDataset()).generator(1000);
        RuleFileParser parser = RuleFiles.parser();
        FuzzRun<String> run = new FuzzRun<>("rules", 5000, 8, r -> next(r, text, generated), y -> check(parser, y),
                y -> y.getBytes(StandardCharsets.UTF_8));
        FuzzRun.Report report = run.run();
        assertEquals(List.of(), report.failures(), report.summary());
    }

    static String next(SplittableRandom r, Mutator text, RandomGenerator<String> generated) {
        int k = r.nextInt(10);
        if (k < 2) return generated.next(new Random(r.nextLong())).value();
        if (k < 4) return new String(text.mutate(generated.next(new Random(r.nextLong())).value().getBytes(StandardCharsets.UTF_8), r),
                StandardCharsets.UTF_8);
        return new String(text.next(r), StandardCharsets.UTF_8);
    }

    static String check(RuleFileParser parser, String yaml) throws Exception {
        RuleFile file;
        try {
            file = parser.parse(yaml, FILE);
        } catch (RuleLoadException e) {
            if (e.errors().isEmpty()) throw new AssertionError("a load error without errors");
            boolean positioned = true;
            for (String error : e.errors()) {
                if (!error.startsWith(FILE + ": ")) throw new AssertionError("a load error that does not name the file: " + error);
                positioned &= POSITIONED.matcher(error).find();
            }
            return positioned ? "load error with positions" : "load error, some without position: " + reason(e.errors());
        }
        int templates = 0;
        for (RuleGroupSpec g : file.groups()) {
            for (RuleSpec rule : g.rules()) {
                if (!rule.isAlert()) continue;
                for (Map<String, String> values : List.of(rule.labels(), rule.annotations())) {
                    for (String t : values.values()) {
                        try {
                            AlertTemplate.parse(rule.alert(), t).expand(DATA, CONTEXT);
                        } catch (TemplateException expansionError) {
                            // Prometheus shows these as "<error expanding template: ...>": a legitimate outcome
                        }
                        templates++;
                    }
                }
            }
        }
        return templates == 0 ? "loaded" : "loaded, templates expanded";
    }

    /** The first error without a position, numbers and quoted parts blanked (a stable name for counting). */
    private static String reason(List<String> errors) {
        for (String e : errors) if (!POSITIONED.matcher(e).find()) return Replies.reason(e.substring(FILE.length() + 2));
        return "";
    }

    private static List<byte[]> seeds() throws Exception {
        List<byte[]> out = new ArrayList<>();
        Path root = PromqlCorpus.repoRoot();
        List<Path> files = new ArrayList<>();
        files.add(root.resolve("rules/src/main/resources/tally/rules/claude-code.rules.yml"));
        try (Stream<Path> walk = Files.walk(root.resolve("rules/src/test/resources"))) {
            walk.filter(p -> p.toString().endsWith(".yml")).sorted().forEach(files::add);
        }
        for (Path f : files) {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            if (text.lines().anyMatch(l -> l.startsWith("groups:"))) out.add(text.getBytes(StandardCharsets.UTF_8));
        }
        out.add(YAML_FEATURES.getBytes(StandardCharsets.UTF_8));
        return out;
    }

    /** Anchors and aliases, a merge key, block and folded scalars, flow style, tags, comments, a second document. */
    private static final String YAML_FEATURES = """
            # comment
            groups:
              - &g
                name: "anchored"
                interval: !!str 1m
                labels: {team: core, "quoted key": 'single'}
                rules:
                  - alert: Folded
                    expr: >
                      sum(rate(fuzz_counter[5m]))
                      > 1
                    for: 5m
                    annotations:
                      summary: |
                        {{ $labels.job }} has {{ $value | humanize }}
                        second line
                      <<: {description: merged}
                  - record: "job:fuzz:rate5m"
                    expr: 'sum by (job) (rate(fuzz_counter[5m]))'
                    labels: &labels {origin: fuzz}
              - name: second
                rules: [{record: "a:b", expr: "vector(1)", labels: *labels}]
            ---
            groups: []
            """;

    private static List<byte[]> tokens() {
        List<String> t = new ArrayList<>(List.of("groups:", "- name: ", "rules:", "- record: ", "- alert: ", "expr: ", "for: ", "keep_firing_for: ",
                "labels:", "annotations:", "interval: ", "query_offset: ", "limit: ", "\n", "\n  ", "\n    - ", ": ", "- ", "  ", "\t", "&a ",
                "*a", "<<: ", "!!binary ", "!!map ", "!!str ", "!!int ", "!!null", "~", "? ", "|", ">", "|-", ">+", "---\n", "...\n", "%YAML 1.2\n",
                "{", "}", "[", "]", ",", "\"", "'", "\\u0000", "\\x", "#", "null", "true", "0x1f", ".inf", "1e999", "{{", "}}", "{{-", "-}}",
                "$labels.", "$value", "$externalURL", "| humanize", "printf \"%", "range ", "end", "if ", "else", "with ", "define \"", "template \"",
                "block \"", "break", "continue", ":= ", "(", ")", "query \"", "index ", "len ", ".Labels", ".Value", "/*", "*/", "`"));
        t.addAll(RuleFileGen.TEMPLATES);
        List<byte[]> out = new ArrayList<>();
        for (String s : t) out.add(s.getBytes(StandardCharsets.UTF_8));
        return out;
    }
}
