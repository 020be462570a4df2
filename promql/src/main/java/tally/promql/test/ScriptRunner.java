package tally.promql.test;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import tally.model.Storage;
import tally.promql.ast.Expr;
import tally.promql.engine.Engine;

/**
 * Runs Prometheus {@code .test} scripts against a PromQL implementation and a fresh storage per
 * file (and per {@code clear}). Prints one line per failure and, last, {@code N passed, N failed}
 * (with {@code , N skipped} when evals were skipped for needing features Tally does not have).
 */
public final class ScriptRunner {
    /**
     * promqltest's extra checks of every instant eval: re-run as a range query around the eval time
     * ({@code rangeMode}) and with {@code @} pinned selectors at other eval times ({@code atModifier}).
     */
    public record Options(boolean rangeModeCheck, boolean atModifierCheck) {
        public static final Options STRICT = new Options(true, true);
        public static final Options PLAIN = new Options(false, false);
    }

    private final Supplier<Storage> storages;
    private final QueryEvaluator evaluator;
    private final Options options;

    /** Tally's own parser and the given engine, with promqltest's strict cross-checks. */
    public ScriptRunner(Supplier<Storage> storages, Engine engine) {
        this(storages, new EngineEvaluator(engine), Options.STRICT);
    }

    public ScriptRunner(Supplier<Storage> storages, QueryEvaluator evaluator) {
        this(storages, evaluator, Options.STRICT);
    }

    public ScriptRunner(Supplier<Storage> storages, QueryEvaluator evaluator, Options options) {
        this.storages = storages;
        this.evaluator = evaluator;
        this.options = options;
    }

    /** Runs every given file, and every {@code *.test} file under every given directory, in name order. */
    public RunSummary run(List<Path> pathsOrDirs, PrintStream out) {
        Tally tally = new Tally(out);
        for (Path p : pathsOrDirs) {
            List<Path> files;
            try {
                files = scriptFiles(p);
            } catch (IOException e) {
                tally.fail(p + ": cannot read: " + e.getMessage());
                continue;
            }
            for (Path f : files) runFile(f, tally);
        }
        out.println(tally.summary().totalsLine());
        out.flush();
        return tally.summary();
    }

    /** Runs one script given as text; {@code name} prefixes its failure lines. */
    public RunSummary runScript(String name, String text, PrintStream out) {
        Tally tally = new Tally(out);
        runText(name, text, tally);
        out.println(tally.summary().totalsLine());
        out.flush();
        return tally.summary();
    }

    private static List<Path> scriptFiles(Path p) throws IOException {
        if (!Files.isDirectory(p)) {
            if (!Files.isRegularFile(p)) throw new IOException("no such file or directory");
            return List.of(p);
        }
        try (Stream<Path> s = Files.walk(p)) {
            return s.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".test")).sorted().toList();
        }
    }

    private void runFile(Path f, Tally tally) {
        String text;
        try {
            text = Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            tally.fail(f + ": cannot read: " + e.getMessage());
            return;
        }
        runText(f.toString(), text, tally);
    }

    private void runText(String name, String text, Tally tally) {
        List<Command> cmds;
        try {
            cmds = ScriptParser.parse(text);
        } catch (ScriptSyntaxException e) {
            tally.fail(name + ":" + e.line() + ": " + e.getMessage());
            return;
        }
        ScriptRun run = new ScriptRun(name, tally);
        Command current = null;
        try {
            for (Command c : cmds) {
                current = c;
                run.execute(c);
            }
        } catch (RuntimeException e) {
            // A storage that breaks leaves nothing trustworthy to test: report it and go on with the next file.
            tally.fail(name + ":" + (current == null ? 0 : current.line()) + ": script aborted: " + e);
        } finally {
            try {
                run.close();
            } catch (RuntimeException e) {
                tally.fail(name + ": closing the storage failed: " + e);
            }
        }
    }

    /** One file's run: its storage (created on first use, replaced on clear) and loaded-data features. */
    private final class ScriptRun implements AutoCloseable {
        private final String name;
        private final Tally tally;
        private final DataFeatures features = new DataFeatures();
        private final SampleLoader loader = new SampleLoader();
        private Storage storage;

        ScriptRun(String name, Tally tally) {
            this.name = name;
            this.tally = tally;
        }

        void execute(Command c) {
            if (c instanceof ClearCommand) {
                close();
            } else if (c instanceof LoadCommand load) {
                features.record(load);
                String refused = loader.load(storage(), load);
                if (refused != null) tally.fail(name + ":" + load.line() + ": load: " + refused);
            } else {
                eval((EvalCommand) c);
            }
        }

        private Storage storage() {
            if (storage == null) storage = storages.get();
            return storage;
        }

        private void eval(EvalCommand cmd) {
            String where = name + ":" + cmd.line() + ": " + cmd.expr() + ": ";
            if (cmd.histogramExpected()) {
                tally.skip(where + "skipped: expects native-histogram results");
                return;
            }
            Expr expr;
            try {
                expr = evaluator.parse(cmd.expr());
            } catch (RuntimeException e) {
                String why = Unsupported.declared(message(e)) ? message(e) : Unsupported.syntax(cmd.expr());
                if (why != null) {
                    tally.skip(where + "skipped: " + why);
                } else if (cmd.expectsFailure()) {
                    tally.record(where, EvalChecks.expectedFailure(cmd, message(e)));
                } else {
                    tally.record(where, "parse error: " + message(e));
                }
                return;
            }
            String why = Unsupported.data(expr, features);
            if (why != null) {
                tally.skip(where + "skipped: " + why);
                return;
            }
            try {
                String err = cmd.isRange() ? evalRange(cmd, expr) : evalInstant(cmd, expr);
                if (err != null && DelayedNameRemoval.nameUsedAfterDrop(expr)) {
                    tally.skip(where + "skipped: " + DelayedNameRemoval.REASON);
                } else {
                    tally.record(where, err);
                }
            } catch (DeclaredUnsupported e) {
                tally.skip(where + "skipped: " + e.getMessage());
            }
        }

        /** The message of a failed query, unless the failure says a feature is not supported. */
        private String failure(RuntimeException e, EvalCommand cmd, Expr expr) {
            String m = message(e);
            if (Unsupported.declared(m)) throw new DeclaredUnsupported(m);
            if (!cmd.expectsFailure() && DelayedNameRemoval.collisionFromEarlyDrop(expr, m)) {
                throw new DeclaredUnsupported(DelayedNameRemoval.REASON);
            }
            return m;
        }

        private String evalRange(EvalCommand cmd, Expr expr) {
            QueryOutcome res;
            try {
                res = evaluator.range(storage(), cmd.expr(), expr, cmd.start(), cmd.end(), cmd.step());
            } catch (RuntimeException e) {
                String m = failure(e, cmd, expr);
                return cmd.expectsFailure() ? EvalChecks.expectedFailure(cmd, m) : "error evaluating query: " + m;
            }
            if (cmd.expectsFailure()) return "expected error evaluating query but got none";
            String err = EvalChecks.annotations(cmd, res);
            return err != null ? err : ResultComparator.compare(cmd, res.value(), cmd.start(), cmd.end(), cmd.step());
        }

        private String evalInstant(EvalCommand cmd, Expr expr) {
            String err = evalInstantAt(cmd, expr, cmd.evalTime());
            if (err != null || !options.atModifierCheck()) return err;
            Expr pinned = AtModifierRewrite.pin(expr, cmd.evalTime());
            if (pinned == null) return null;
            for (long t : AtModifierRewrite.evalTimes(cmd.evalTime())) {
                err = evalInstantAt(cmd, pinned, t);
                if (err != null) return "@ cross-check " + pinned + " at t=" + t + "ms: " + err;
            }
            return null;
        }

        private String evalInstantAt(EvalCommand cmd, Expr expr, long t) {
            QueryOutcome res;
            try {
                res = evaluator.instant(storage(), cmd.expr(), expr, t);
            } catch (RuntimeException e) {
                String m = failure(e, cmd, expr);
                return cmd.expectsFailure() ? EvalChecks.expectedFailure(cmd, m) : "error evaluating query: " + m;
            }
            if (cmd.expectsFailure()) return "expected error evaluating query but got none";
            String err = EvalChecks.annotations(cmd, res);
            if (err != null) return err;
            long lastPoint = cmd.expectsRangeVector() ? cmd.end() : Long.MIN_VALUE;
            err = ResultComparator.compare(cmd, res.value(), cmd.start(), lastPoint, cmd.step());
            if (err != null || !options.rangeModeCheck() || cmd.excludedFromRangeMode()) return err;
            return rangeMode(cmd, expr, t, res.value());
        }

        /** The instant result must equal the point at t of a range query from t-1m to t+1m. */
        private String rangeMode(EvalCommand cmd, Expr expr, long t, ActualValue instant) {
            QueryOutcome res;
            try {
                res = evaluator.range(storage(), cmd.expr(), expr, t - 60_000, t + 60_000, 60_000);
            } catch (RuntimeException e) {
                return "error evaluating query in range mode: " + message(e);
            }
            if (cmd.isOrdered()) return null; // range results are sorted by labels
            if (!(res.value() instanceof ActualValue.Matrix m)) {
                return "range mode: expected a matrix but got " + ResultComparator.describe(res.value());
            }
            List<ActualValue.Sample> atT = new ArrayList<>();
            for (int i = 0; i < m.series().size(); i++) {
                ActualValue.Points p = m.series().get(i);
                if (i > 0 && m.series().get(i - 1).labels().compareTo(p.labels()) > 0) {
                    return "range mode: matrix results should always be sorted by labels";
                }
                for (int k = 0; k < p.count(); k++) {
                    if (p.ts()[k] == t) {
                        atT.add(new ActualValue.Sample(p.labels(), p.vs()[k]));
                        break;
                    }
                }
            }
            ActualValue asInstant = new ActualValue.Vector(atT);
            if (instant instanceof ActualValue.Scalar) {
                if (atT.isEmpty()) return "range mode: no point at the eval time";
                asInstant = new ActualValue.Scalar(atT.get(0).v());
            }
            String err = ResultComparator.compare(cmd, asInstant, cmd.start(), Long.MIN_VALUE, cmd.step());
            return err == null ? null : "range mode: " + err;
        }

        @Override
        public void close() {
            features.clear();
            loader.clear();
            if (storage != null) {
                try {
                    storage.close();
                } finally {
                    storage = null;
                }
            }
        }
    }

    /** Unwinds an eval whose query failed because the implementation lacks a feature. */
    private static final class DeclaredUnsupported extends RuntimeException {
        DeclaredUnsupported(String message) {
            super(message, null, false, false);
        }
    }

    static String message(RuntimeException e) {
        String m = e.getMessage();
        return m == null ? e.toString() : m;
    }

    /** Counts and lines; failure lines are printed as they happen. */
    private static final class Tally {
        private final PrintStream out;
        private int passed;
        private final List<String> failures = new ArrayList<>();
        private final List<String> skips = new ArrayList<>();

        Tally(PrintStream out) { this.out = out; }

        void record(String where, String error) {
            if (error == null) passed++; else fail(where + error);
        }

        void fail(String line) {
            String oneLine = line.replace("\r", "\\r").replace("\n", "\\n");
            failures.add(oneLine);
            out.println(oneLine);
        }

        void skip(String line) { skips.add(line.replace("\n", "\\n")); }

        RunSummary summary() { return new RunSummary(passed, failures.size(), skips.size(), failures, skips); }
    }
}
