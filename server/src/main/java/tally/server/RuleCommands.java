package tally.server;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import tally.rules.eval.RuleFiles;
import tally.rules.file.RuleFile;
import tally.rules.file.RuleFileGlobs;
import tally.rules.file.RuleGroupSpec;
import tally.rules.file.RuleLoadException;
import tally.rules.unittest.RuleUnitTester;
import tally.server.config.ConfigException;
import tally.server.config.Flags;
import tally.server.config.RuleSettings;
import tally.server.config.ServerConfig;
import tally.storage.TallyStorage;

/**
 * promtool's rule commands with its output and exit codes (0 all good, 1 a check or test failed, 2 usage):
 * {@code tally test rules [--run=REGEX]... FILE...}, {@code tally check rules FILE...},
 * {@code tally check config FILE...}, {@code tally check web-config FILE...}.
 */
final class RuleCommands {
    private RuleCommands() {}

    static int test(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty() || !args.get(0).equals("rules")) {
            err.println("usage: tally test rules [--run=REGEX]... TEST_FILE...");
            return 2;
        }
        List<String> run = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (int i = 1; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--run=")) run.add(a.substring(6));
            else if (a.equals("--run") && i + 1 < args.size()) run.add(args.get(++i));
            else if (a.startsWith("-")) {
                err.println("tally test rules: unknown flag " + a);
                return 2;
            } else files.add(Path.of(a));
        }
        if (files.isEmpty()) {
            err.println("usage: tally test rules [--run=REGEX]... TEST_FILE...");
            return 2;
        }
        tally.server.log.Log.setLevel(tally.server.log.Log.Level.ERROR);
        Path scratch;
        try {
            scratch = Files.createTempDirectory("tally-test-rules");
        } catch (IOException e) {
            err.println("tally test rules: cannot create a scratch directory: " + e.getMessage());
            return 1;
        }
        int[] n = {0};
        try {
            // each test group gets a fresh database, every sample in the head (tests are small)
            RuleUnitTester tester = new RuleUnitTester(() -> TallyStorage.scratch(scratch.resolve("db" + n[0]++)), RuleFiles.parser());
            return tester.run(files, run, out);
        } finally {
            deleteTree(scratch);
        }
    }

    static int check(List<String> args, PrintStream out, PrintStream err) {
        if (args.size() < 2 || !(args.get(0).equals("rules") || args.get(0).equals("config") || args.get(0).equals("web-config"))) {
            err.println("usage: tally check rules RULE_FILE... | tally check config CONFIG_FILE... | tally check web-config WEB_CONFIG_FILE...");
            return 2;
        }
        if (args.get(0).equals("web-config")) return checkWebConfig(args.subList(1, args.size()), err);
        boolean failed = false;
        for (String f : args.subList(1, args.size())) {
            failed |= args.get(0).equals("rules") ? !checkRules(Path.of(f), out, err) : !checkConfig(Path.of(f), out, err);
        }
        return failed ? 1 : 0;
    }

    /** promtool check web-config: "F SUCCESS" or "F FAILED: why" per file, on stderr as promtool writes them. */
    private static int checkWebConfig(List<String> files, PrintStream err) {
        boolean failed = false;
        for (String f : files) {
            try {
                tally.server.web.WebConfigParser.check(Path.of(f));
                err.println(f + " SUCCESS");
            } catch (tally.server.web.WebConfigException e) {
                err.println(f + " FAILED: " + e.getMessage());
                failed = true;
            }
        }
        return failed ? 1 : 0;
    }

    /** "Checking F", then the number of rules or every load error, as promtool prints them. */
    private static boolean checkRules(Path file, PrintStream out, PrintStream err) {
        out.println("Checking " + file);
        try {
            RuleFile rf = RuleFiles.parser().parse(file, file.toString());
            int rules = 0;
            for (RuleGroupSpec g : rf.groups()) rules += g.rules().size();
            out.println("  SUCCESS: " + rules + " rules found");
            out.println();
            return true;
        } catch (RuleLoadException e) {
            err.println("  FAILED:");
            for (String line : e.errors()) err.println(line);
            out.println();
            return false;
        }
    }

    /** The configuration (Tally's settings included), then each rule file it names. */
    private static boolean checkConfig(Path file, PrintStream out, PrintStream err) {
        out.println("Checking " + file);
        ServerConfig cfg;
        try {
            cfg = Flags.parse(List.of("--config.file=" + file));
        } catch (ConfigException e) {
            err.println("  FAILED: " + e.getMessage());
            out.println();
            return false;
        }
        RuleSettings rs = cfg.rules;
        List<Path> ruleFiles = new ArrayList<>();
        Path base = file.getParent() == null ? Path.of("") : file.getParent();
        try {
            for (String p : rs.ruleFilePatterns()) ruleFiles.addAll(RuleFileGlobs.resolve(base, p));
        } catch (IOException e) {
            err.println("  FAILED: " + e.getMessage());
            return false;
        }
        if (rs.ruleFilesGiven()) out.println("  SUCCESS: " + ruleFiles.size() + " rule files found");
        if (!cfg.remoteWrite.isEmpty()) {
            out.println("  SUCCESS: " + cfg.remoteWrite.size() + " remote_write target" + (cfg.remoteWrite.size() == 1 ? "" : "s") + " found");
            for (tally.forward.RemoteWriteConfig rw : cfg.remoteWrite) {
                out.println("    " + rw.name() + ": " + rw.url() + " (" + rw.protobufMessage().configName()
                        + (rw.writeRelabelConfigs().isEmpty() ? "" : ", " + rw.writeRelabelConfigs().size() + " write_relabel_configs") + ")");
            }
        }
        out.println(" SUCCESS: " + file + " is valid prometheus config file syntax");
        if (!cfg.ignoredConfig.isEmpty()) err.println("  WARNING: ignored by Tally (not implemented): " + String.join(", ", cfg.ignoredConfig));
        out.println();
        boolean ok = true;
        for (Path rf : ruleFiles) ok &= checkRules(rf, out, err);
        return ok;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: a temp dir
        }
    }
}
