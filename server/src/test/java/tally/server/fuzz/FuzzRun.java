package tally.server.fuzz;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Runs one fuzz target for a number of cases. Case i's input comes from {@code new SplittableRandom(seed + i * φ)}
 * alone, so a seed and a count give the same inputs on every run. Inputs are made on the calling thread (jqwik's
 * arbitraries only generate there) and run on a worker thread the caller watches: a case still running after
 * {@code fuzz.hang-seconds} (60) is a hang, reported with the worker's stack. The report counts every outcome and
 * keeps the first failure of each kind with its input (saved under {@code target/fuzz-failures/NAME/}), and lists cases
 * slower than {@code fuzz.slow-ms} (2,000) without failing them (the first case of a server target includes its start);
 * it is printed
 * and written to {@code target/fuzz-reports/NAME.txt}.
 * <p>
 * System properties, for the long runs of bench/fuzz.sh: {@code fuzz.cases} replaces the short run's count,
 * {@code fuzz.seed} the seed, and {@code fuzz.minutes} stops a run early (the report says how many cases ran).
 */
final class FuzzRun<I> {
    /** Makes case i's input from its own random source. */
    @FunctionalInterface
    interface Generator<I> {
        I next(SplittableRandom r) throws Exception;
    }

    /** Runs one input; returns a short name of what happened ("200", "parse error"); throws when the property fails. */
    @FunctionalInterface
    interface Target<I> {
        String run(I input) throws Exception;
    }

    /** What a run saw. */
    record Report(String name, long cases, long seed, double seconds, Map<String, Long> outcomes, List<String> failures,
                  String slowest, List<String> slow) {
        String summary() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "fuzz %s: %,d cases in %.1f s (%,.0f/s), seed %d, %d failures%n",
                    name, cases, seconds, cases / Math.max(seconds, 1e-3), seed, failures.size()));
            sb.append("  slowest case: ").append(slowest).append('\n');
            for (String c : slow) sb.append("  SLOW ").append(c).append('\n');
            outcomes.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  %-50s %,d%n", k, v)));
            for (String f : failures) sb.append("  FAILURE ").append(f).append('\n');
            return sb.toString();
        }
    }

    private static final int KEPT_FAILURES = 10;
    /** Distinct outcome names counted; the rest are counted together, so a report stays readable. */
    private static final int MAX_OUTCOMES = 150;
    private static final long PROGRESS_NANOS = 30_000_000_000L;

    private final String name;
    private final long cases;
    private final long seed;
    private final Generator<I> generator;
    private final Target<I> target;
    private final Function<I, byte[]> bytes;

    /**
     * @param shortCases the count of the deterministic run in {@code mvn test}
     * @param bytes      how a failing input is saved
     */
    FuzzRun(String name, long shortCases, long seed, Generator<I> generator, Target<I> target, Function<I, byte[]> bytes) {
        this.name = name;
        this.cases = Long.getLong("fuzz.cases", shortCases);
        this.seed = Long.getLong("fuzz.seed", seed);
        this.generator = generator;
        this.target = target;
        this.bytes = bytes;
    }

    /** Runs every case and returns the report (the caller asserts that it has no failures). */
    Report run() throws InterruptedException {
        long hangSeconds = Long.getLong("fuzz.hang-seconds", 60);
        String minutes = System.getProperty("fuzz.minutes");
        long stopAt = minutes == null ? Long.MAX_VALUE : System.nanoTime() + (long) (Double.parseDouble(minutes) * 60e9);
        Map<String, Long> outcomes = new TreeMap<>();
        Map<String, String> failures = new LinkedHashMap<>();
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-" + name);
            t.setDaemon(true); // a hung case is left behind
            return t;
        });
        long start = System.nanoTime();
        long lastProgress = start;
        long ran = 0;
        long slowestNanos = -1;
        long slowNanos = Long.getLong("fuzz.slow-ms", 2000) * 1_000_000L;
        List<String> slow = new ArrayList<>();
        String slowest = "none";
        try {
            for (long i = 0; i < cases && System.nanoTime() < stopAt; i++) {
                I input = null;
                String outcome;
                long caseStart = System.nanoTime();
                try {
                    input = generator.next(new SplittableRandom(seed + i * 0x9E3779B97F4A7C15L));
                    I in = input;
                    Future<String> f = worker.submit(() -> target.run(in));
                    try {
                        outcome = f.get(hangSeconds, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        throw e.getCause();
                    } catch (TimeoutException e) {
                        failures.put("hang", "case " + i + " HANG: still running after " + hangSeconds + " s (input "
                                + save(i, input) + ")" + stackOf(worker));
                        outcomes.merge("HANG", 1L, Long::sum);
                        ran = i + 1;
                        break;
                    }
                } catch (Throwable t) {
                    outcome = "FAILED " + t.getClass().getSimpleName();
                    String key = t.getClass().getName() + ": " + firstLine(t.getMessage());
                    if (!failures.containsKey(key) && failures.size() < KEPT_FAILURES) {
                        failures.put(key, "case " + i + " " + key + " (input " + save(i, input) + ")\n" + stack(t));
                    }
                    if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
                        outcomes.merge(outcome, 1L, Long::sum);
                        ran = i + 1;
                        break; // out of memory: nothing after this is trustworthy
                    }
                }
                if (outcomes.size() >= MAX_OUTCOMES && !outcomes.containsKey(outcome)) outcome = "(other outcomes)";
                outcomes.merge(outcome, 1L, Long::sum);
                ran = i + 1;
                long now = System.nanoTime();
                if (now - caseStart > slowNanos && slow.size() < KEPT_FAILURES) {
                    // not a failure (timings vary), but a case this slow is worth a look: it may be a hang in the making
                    slow.add(String.format(Locale.ROOT, "case %d, %.0f ms, %s (input %s)", i, (now - caseStart) / 1e6, outcome, save(i, input)));
                }
                if (now - caseStart > slowestNanos) {
                    slowestNanos = now - caseStart;
                    slowest = String.format(Locale.ROOT, "case %d, %.0f ms, %s", i, slowestNanos / 1e6, outcome);
                }
                if (now - lastProgress > PROGRESS_NANOS) {
                    lastProgress = now;
                    System.out.printf(Locale.ROOT, "fuzz %s: %,d of %,d cases, %.0f s, %s%n", name, ran, cases, (now - start) / 1e9, outcomes);
                }
            }
        } finally {
            worker.shutdownNow();
        }
        Report r = new Report(name, ran, seed, (System.nanoTime() - start) / 1e9, outcomes, new ArrayList<>(failures.values()),
                slowest, slow);
        writeReport(r);
        return r;
    }

    /** The stack of the (hung) worker thread. */
    private String stackOf(ExecutorService worker) {
        StringBuilder trace = new StringBuilder();
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            if (!e.getKey().getName().equals("fuzz-" + name)) continue;
            for (StackTraceElement s : e.getValue()) trace.append("\n    at ").append(s);
        }
        return trace.toString();
    }

    private String save(long i, I input) {
        if (input == null) return "not generated";
        try {
            Path dir = Path.of("target", "fuzz-failures", name);
            Files.createDirectories(dir);
            Path file = dir.resolve("seed" + seed + "-case" + i + ".bin");
            Files.write(file, bytes.apply(input));
            return file.toString();
        } catch (IOException | RuntimeException e) {
            return "not saved: " + e;
        }
    }

    private void writeReport(Report r) {
        String text = r.summary();
        System.out.print(text);
        try {
            Path dir = Path.of("target", "fuzz-reports");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name + ".txt"), text, StandardCharsets.UTF_8);
        } catch (IOException ignored) {
            // the report is printed anyway
        }
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    private static String stack(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        String s = w.toString();
        return s.length() > 4000 ? s.substring(0, 4000) + "..." : s;
    }
}
