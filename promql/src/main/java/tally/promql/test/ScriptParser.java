package tally.promql.test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import tally.model.Labels;
import tally.model.LabelsBuilder;
import tally.promql.ast.Durations;

/**
 * Splits a Prometheus {@code .test} script into commands, following promqltest's rules: lines are
 * trimmed, comment lines count as empty, and the first empty line ends a load or eval block.
 */
public final class ScriptParser {
    private static final Pattern SPACE = Pattern.compile("[\\t ]+");
    private static final Pattern LOAD = Pattern.compile("^load(?:_(with_nhcb))?\\s+(.+?)$");
    private static final Pattern EVAL_INSTANT =
            Pattern.compile("^eval(?:_(fail|warn|ordered|info))?\\s+instant\\s+(?:at\\s+(.+?))?\\s+(.+)$");
    private static final Pattern EVAL_RANGE =
            Pattern.compile("^eval(?:_(fail|warn|info))?\\s+range\\s+from\\s+(.+)\\s+to\\s+(.+)\\s+step\\s+(.+?)\\s+(.+)$");
    private static final Pattern EXPECT =
            Pattern.compile("^expect\\s+(ordered|fail|warn|no_warn|info|no_info)(?:\\s+(regex|msg):(.+))?$");
    private static final String RANGE_VECTOR_PREFIX = "expect range vector";
    private static final Pattern EXPECT_RANGE =
            Pattern.compile("^" + RANGE_VECTOR_PREFIX + "\\s+from\\s+(.+)\\s+to\\s+(.+)\\s+step\\s+(.+)$");
    private static final String STRING_PREFIX = "expect string";

    private ScriptParser() {}

    public static List<Command> parse(String text) throws ScriptSyntaxException {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            lines[i] = l.startsWith("#") ? "" : l;
        }
        List<Command> cmds = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            if (l.isEmpty()) continue;
            String word = SPACE.split(l, 2)[0].toLowerCase(Locale.ROOT);
            if (word.equals("clear")) {
                cmds.add(new ClearCommand(i + 1));
            } else if (word.startsWith("load")) {
                i = parseLoad(lines, i, cmds);
            } else if (word.startsWith("eval")) {
                i = parseEval(lines, i, cmds);
            } else {
                throw new ScriptSyntaxException(i + 1, "invalid command \"" + l + "\"");
            }
        }
        return cmds;
    }

    private static int parseLoad(String[] lines, int i, List<Command> out) throws ScriptSyntaxException {
        int header = i;
        Matcher m = LOAD.matcher(lines[i]);
        if (!m.matches()) throw new ScriptSyntaxException(i + 1, "invalid load command. (load[_with_nhcb] <step:duration>)");
        long interval = duration(m.group(2), i, "invalid step definition");
        Map<Labels, LoadCommand.Series> series = new LinkedHashMap<>();
        Labels pendingSt = null;
        boolean defaultSt = false;
        while (i + 1 < lines.length && !lines[i + 1].isEmpty()) {
            i++;
            String def = lines[i];
            try {
                if (isStartTimestampLine(def)) {
                    String metric = def.substring(0, firstSpace(def) - 3);
                    if (metric.isEmpty()) {
                        defaultSt = true; // a bare "@st ..." applies to every following series of the block
                    } else {
                        int[] pos = {0};
                        LabelsBuilder b = new LabelsBuilder();
                        SeriesDescParser.parseMetric(metric, pos, b);
                        pendingSt = b.build();
                    }
                    continue;
                }
                SeriesLine s = SeriesDescParser.parse(def);
                boolean st = defaultSt || s.labels().equals(pendingSt);
                pendingSt = null;
                series.remove(s.labels()); // a later line for the same labels replaces the earlier one
                series.put(s.labels(), new LoadCommand.Series(i + 1, s.labels(), s.values(), st));
            } catch (IllegalArgumentException e) {
                throw new ScriptSyntaxException(i + 1, e.getMessage());
            }
        }
        out.add(new LoadCommand(header + 1, interval, m.group(1) != null, new ArrayList<>(series.values())));
        return i;
    }

    private static boolean isStartTimestampLine(String def) {
        int sp = firstSpace(def);
        return sp > 0 && def.substring(0, sp).endsWith("@st");
    }

    private static int firstSpace(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) == ' ' || s.charAt(i) == '\t') return i;
        return -1;
    }

    private static int parseEval(String[] lines, int i, List<Command> out) throws ScriptSyntaxException {
        Matcher inst = EVAL_INSTANT.matcher(lines[i]);
        Matcher rng = EVAL_RANGE.matcher(lines[i]);
        boolean isInstant = inst.matches();
        if (!isInstant && !rng.matches()) {
            throw new ScriptSyntaxException(i + 1, "invalid evaluation command. Must be either "
                    + "'eval[_fail|_warn|_ordered] instant [at <offset:duration>] <query>' or "
                    + "'eval[_fail|_warn] range from <from> to <to> step <step> <query>'");
        }
        String mod = isInstant ? inst.group(1) : rng.group(1);
        EvalCommand cmd = new EvalCommand(i + 1, isInstant ? inst.group(3) : rng.group(5), !isInstant);
        if (isInstant) {
            String at = inst.group(2) == null ? "" : inst.group(2);
            cmd.start = duration(at, i, "invalid timestamp definition");
            cmd.evalTime = cmd.start;
        } else {
            setRange(cmd, rng.group(2), rng.group(3), rng.group(4), i);
        }
        if (mod != null) {
            switch (mod) {
                case "ordered" -> cmd.legacyOrdered = true;
                case "fail" -> cmd.legacyFail = true;
                case "warn" -> cmd.legacyWarn = true;
                case "info" -> cmd.legacyInfo = true;
                default -> throw new IllegalStateException(mod);
            }
        }
        int position = 0;
        while (i + 1 < lines.length && !lines[i + 1].isEmpty()) {
            i++;
            String def = lines[i];
            if (cmd.legacyFail && def.startsWith("expected_fail_message")) {
                cmd.legacyFailMessage = def.substring("expected_fail_message".length()).strip();
                break;
            }
            if (cmd.legacyFail && def.startsWith("expected_fail_regexp")) {
                cmd.legacyFailRegexp = regex(def.substring("expected_fail_regexp".length()).strip(), i);
                break;
            }
            if (def.startsWith(RANGE_VECTOR_PREFIX)) {
                Matcher m = EXPECT_RANGE.matcher(def);
                if (!m.matches()) throw new ScriptSyntaxException(i + 1, "invalid range vector definition \"" + def + "\"");
                setRange(cmd, m.group(1), m.group(2), m.group(3), i);
                cmd.expectRangeVector = true;
                cmd.evalTime = cmd.end;
                continue;
            }
            if (def.startsWith(STRING_PREFIX)) {
                String lit = def.equals(STRING_PREFIX) ? "" : def.startsWith(STRING_PREFIX + " ")
                        ? def.substring(STRING_PREFIX.length() + 1) : "";
                try {
                    cmd.expectedString = GoStrings.unquote(lit);
                } catch (IllegalArgumentException e) {
                    throw new ScriptSyntaxException(i + 1, "expected string literal not valid - a quoted string literal is required");
                }
                continue;
            }
            if (def.split(" ", -1)[0].equals("expect")) {
                parseExpect(cmd, def, i);
                continue;
            }
            Double scalar = GoNumbers.parseScalar(def);
            if (scalar != null) {
                cmd.expectedScalar = scalar;
                cmd.expected.clear();
                break; // a scalar line ends the block, as in promqltest
            }
            SeriesLine s;
            try {
                s = SeriesDescParser.parse(def);
            } catch (IllegalArgumentException e) {
                throw new ScriptSyntaxException(i + 1, e.getMessage());
            }
            if (s.values().size() > 1 && isInstant && !cmd.expectRangeVector) {
                throw new ScriptSyntaxException(i + 1, "expecting multiple values in instant evaluation not allowed. "
                        + "consider using 'expect range vector' directive to enable a range vector result for an instant query");
            }
            if (s.values().isEmpty()) throw new ScriptSyntaxException(i + 1, "expected result line without values");
            position++;
            cmd.expectedScalar = null;
            cmd.histogramExpected |= s.hasHistogram();
            cmd.expected.put(s.labels(), new EvalCommand.ExpectedSeries(position, i + 1, s.values()));
        }
        out.add(cmd);
        return i;
    }

    private static void parseExpect(EvalCommand cmd, String def, int i) throws ScriptSyntaxException {
        Matcher m = EXPECT.matcher(def.strip());
        if (!m.matches()) {
            throw new ScriptSyntaxException(i + 1, "invalid expect statement, must match `expect <type> <match_type>: <string>` format");
        }
        ExpectLine e = ExpectLine.ANY;
        if (m.group(2) != null) {
            String text = m.group(3).strip();
            e = m.group(2).equals("msg") ? new ExpectLine(text, null) : new ExpectLine(null, regex(text, i));
        }
        switch (m.group(1)) {
            case "ordered" -> cmd.orderedExpect = true;
            case "fail" -> cmd.fail.add(e);
            case "warn" -> cmd.warn.add(e);
            case "info" -> cmd.info.add(e);
            case "no_warn" -> cmd.noWarn = true;
            case "no_info" -> cmd.noInfo = true;
            default -> throw new IllegalStateException(m.group(1));
        }
        if (!cmd.info.isEmpty() && cmd.noInfo) {
            throw new ScriptSyntaxException(i + 1, "invalid expect lines, info and no_info cannot be used together");
        }
        if (!cmd.warn.isEmpty() && cmd.noWarn) {
            throw new ScriptSyntaxException(i + 1, "invalid expect lines, warn and no_warn cannot be used together");
        }
        if (cmd.fail.size() > 1) {
            throw new ScriptSyntaxException(i + 1, "invalid expect lines, multiple expect fail lines are not allowed");
        }
    }

    private static void setRange(EvalCommand cmd, String from, String to, String step, int i) throws ScriptSyntaxException {
        long s = duration(from, i, "invalid start timestamp definition");
        long e = duration(to, i, "invalid end timestamp definition");
        if (e < s) {
            throw new ScriptSyntaxException(i + 1, "invalid test definition, end timestamp (" + to
                    + ") is before start timestamp (" + from + ")");
        }
        cmd.start = s;
        cmd.end = e;
        cmd.step = duration(step, i, "invalid step definition");
    }

    private static long duration(String s, int i, String what) throws ScriptSyntaxException {
        try {
            return Durations.parseMillis(s);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new ScriptSyntaxException(i + 1, what + " \"" + s + "\": " + e.getMessage());
        }
    }

    private static Pattern regex(String re, int i) throws ScriptSyntaxException {
        try {
            return Pattern.compile(re);
        } catch (PatternSyntaxException e) {
            throw new ScriptSyntaxException(i + 1, "invalid regex " + re + ": " + e.getDescription());
        }
    }
}
