package tally.server.fuzz;

import net.jqwik.api.Example;
import net.jqwik.api.RandomGenerator;
import tally.promql.ast.Expr;
import tally.promql.parser.ParseException;
import tally.promql.parser.PromQLParser;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzz target 5: the PromQL parser. Inputs of at most 2 KiB: corpus expressions (Tally's test scripts and
 * dashboards) mutated as text with a PromQL dictionary, long runs of brackets and operators included, and
 * well-typed expressions from {@link PromqlGen} (jqwik), as they are and mutated. Property: a syntax tree or a
 * {@link ParseException} whose position lies inside the input and whose message is not empty, nothing else; a tree
 * prints to text that parses again to the same text (what /api/v1/format_query returns); the series-selector parser
 * (match[]) likewise; and the parser still reads the corpus as before every 1,000 cases (no shared state damaged).
 * Long run: {@code bench/fuzz.sh promql-parser 1000000}.
 */
class PromqlParserFuzzTest {
    static final int MAX_LENGTH = 2048;

    @Example
    void everyStringParsesOrFailsWithAPositionedParseError() throws Exception {
        List<String> corpus = PromqlCorpus.expressions();
        List<String> printedCorpus = new ArrayList<>();
        for (String q : corpus) printedCorpus.add(printedOrError(q));
        Mutator text = new Mutator(bytes(corpus), PromqlCorpus.tokens(), MAX_LENGTH, false);
        RandomGenerator<String> generated = PromqlGen.overDataset().any().generator(1000);
        long[] cases = {0};
        FuzzRun<String> run = new FuzzRun<>("promql-parser", 20_000, 6, r -> next(r, text, generated), q -> {
            if (++cases[0] % 1000 == 0) checkCorpus(corpus, printedCorpus);
            return check(q);
        }, q -> q.getBytes(StandardCharsets.UTF_8));
        FuzzRun.Report report = run.run();
        assertEquals(List.of(), report.failures(), report.summary());
    }

    static String next(SplittableRandom r, Mutator text, RandomGenerator<String> generated) {
        int k = r.nextInt(10);
        if (k < 3) return generated.next(new Random(r.nextLong())).value();
        if (k < 5) {
            byte[] g = generated.next(new Random(r.nextLong())).value().getBytes(StandardCharsets.UTF_8);
            return new String(text.mutate(g.length > MAX_LENGTH ? java.util.Arrays.copyOf(g, MAX_LENGTH) : g, r), StandardCharsets.UTF_8);
        }
        return new String(text.next(r), StandardCharsets.UTF_8);
    }

    /** The property for one input; returns the outcome's name. */
    static String check(String q) {
        String outcome = parse(q);
        selector(q);
        return outcome;
    }

    private static String parse(String q) {
        Expr e;
        try {
            e = PromQLParser.parseExpr(q);
        } catch (ParseException pe) {
            checkPosition(q, pe);
            return "parse error: " + Replies.reason(pe.reason());
        }
        String printed = e.toString();
        Expr again;
        try {
            again = PromQLParser.parseExpr(printed);
        } catch (ParseException pe) {
            throw new AssertionError("printed form does not parse: " + printed + " (" + pe.getMessage() + ")", pe);
        }
        if (!again.toString().equals(printed)) {
            throw new AssertionError("printing is not stable: " + printed + " then " + again);
        }
        return "parsed " + e.type();
    }

    private static void selector(String q) {
        try {
            PromQLParser.parseSeriesSelector(q);
        } catch (ParseException pe) {
            checkPosition(q, pe);
        }
    }

    private static void checkPosition(String q, ParseException pe) {
        if (pe.getMessage() == null || pe.reason() == null || pe.reason().isBlank()) throw new AssertionError("no message", pe);
        if (pe.position() == null) throw new AssertionError("no position: " + pe.getMessage(), pe);
        int start = pe.position().start(), end = pe.position().end();
        if (start < 0 || end < start || end > q.length()) {
            throw new AssertionError("position " + start + ".." + end + " outside the " + q.length() + "-character input: "
                    + pe.getMessage(), pe);
        }
    }

    private static void checkCorpus(List<String> corpus, List<String> printed) {
        for (int i = 0; i < corpus.size(); i++) {
            String now = printedOrError(corpus.get(i));
            if (!now.equals(printed.get(i))) {
                throw new AssertionError("the parser reads " + corpus.get(i) + " differently now: " + now + " (was " + printed.get(i) + ")");
            }
        }
    }

    private static String printedOrError(String q) {
        try {
            return PromQLParser.parseExpr(q).toString();
        } catch (ParseException e) {
            return "error: " + e.getMessage();
        }
    }

    private static List<byte[]> bytes(List<String> strings) {
        List<byte[]> out = new ArrayList<>();
        for (String s : strings) out.add(s.getBytes(StandardCharsets.UTF_8));
        return out;
    }
}
