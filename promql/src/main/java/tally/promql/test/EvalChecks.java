package tally.promql.test;

import java.util.List;

/** The error and annotation expectations of an eval block; each check returns null or the mismatch. */
final class EvalChecks {
    private EvalChecks() {}

    /** The query failed as the eval expected: does the message match what it asked for? */
    static String expectedFailure(EvalCommand cmd, String actual) {
        if (cmd.legacyFailMessage != null && !cmd.legacyFailMessage.equals(actual)) {
            return "expected error \"" + cmd.legacyFailMessage + "\" but got: " + actual;
        }
        if (cmd.legacyFailRegexp != null && !cmd.legacyFailRegexp.matcher(actual).find()) {
            return "expected error matching pattern \"" + cmd.legacyFailRegexp.pattern() + "\" but got: " + actual;
        }
        if (!cmd.fail.isEmpty() && !cmd.fail.get(0).matches(actual)) {
            return "expected error matching " + cmd.fail.get(0) + " but got: " + actual;
        }
        return null;
    }

    static String annotations(EvalCommand cmd, QueryOutcome res) {
        List<String> warnings = res.warnings();
        List<String> infos = res.infos();
        if (cmd.legacyWarn && warnings.isEmpty()) return "expected warnings but got none";
        if (cmd.legacyInfo && infos.isEmpty()) return "expected info annotations but got none";
        String err = ofType("warn", cmd.warn, warnings);
        if (err == null) err = ofType("info", cmd.info, infos);
        if (err != null) return err;
        if (cmd.noWarn && !warnings.isEmpty()) return "unexpected warning annotations " + warnings;
        if (cmd.noInfo && !infos.isEmpty()) return "unexpected info annotations " + infos;
        return null;
    }

    /** Every expected line must match an annotation, and every annotation an expected line. */
    private static String ofType(String type, List<ExpectLine> expected, List<String> actual) {
        if (expected.isEmpty()) return null;
        if (actual.isEmpty()) return "expected " + type + " annotations but none were found";
        for (ExpectLine e : expected) {
            if (actual.stream().noneMatch(e::matches)) {
                return "expected " + type + " annotation matching " + e + " but no matching annotation was found, found: " + actual;
            }
        }
        for (String a : actual) {
            if (expected.stream().noneMatch(e -> e.matches(a))) return "unexpected " + type + " annotation \"" + a + "\"";
        }
        return null;
    }
}
