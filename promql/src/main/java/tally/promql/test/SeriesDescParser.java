package tally.promql.test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tally.model.LabelsBuilder;
import tally.model.StaleNaN;

/**
 * Parses series description lines ({@code name{l="v", ...} 0+10x5 _ stale 1x3}) and expands their
 * values as Prometheus's series-description grammar does: {@code a+bxn} and {@code a-bxn} give n+1
 * samples accumulated by repeated float addition, {@code axn} n+1 copies, {@code _xn} n empty steps.
 */
public final class SeriesDescParser {
    private static final String NUM = "(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[iI][nN][fF]|[nN][aA][nN]";
    /** value [(+|-)increment] [x count]; the first value may carry a sign. */
    private static final Pattern ITEM = Pattern.compile(
            "([+-]?(?:" + NUM + "))(?:([+-])(" + NUM + "))?(?:x([0-9]+))?");
    private static final Pattern BLANK = Pattern.compile("_(?:x([0-9]+))?");
    private static final Pattern STALE = Pattern.compile("stale");

    private SeriesDescParser() {}

    /** @throws IllegalArgumentException with a message naming the problem */
    public static SeriesLine parse(String line) {
        int[] pos = {0};
        LabelsBuilder b = new LabelsBuilder();
        parseMetric(line, pos, b);
        List<SeqValue> values = parseValues(line, pos[0]);
        return new SeriesLine(b.build(), values);
    }

    /** A metric in Prometheus's text form ({@code name{a="b"}} or {@code {__name__="x"}}) as labels. */
    public static tally.model.Labels parseLabels(String text) {
        int[] pos = {0};
        LabelsBuilder b = new LabelsBuilder();
        String s = text.strip();
        parseMetric(s, pos, b);
        if (pos[0] != s.length()) throw new IllegalArgumentException("unexpected text after the series in " + quote(s));
        return b.build();
    }

    /** Parses only the series part (for {@code name{...}@st} lines); returns the index after it. */
    static int parseMetric(String line, int[] pos, LabelsBuilder b) {
        int i = pos[0];
        int nameStart = i;
        while (i < line.length() && isNameChar(line.charAt(i), i == nameStart)) i++;
        boolean hasName = i > nameStart;
        if (hasName) b.set(tally.model.Labels.METRIC_NAME, line.substring(nameStart, i));
        if (i < line.length() && line.charAt(i) == '{') {
            i = parseLabelSet(line, i + 1, b);
        } else if (!hasName) {
            throw new IllegalArgumentException("expected a metric name or '{' in " + quote(line));
        }
        pos[0] = i;
        return i;
    }

    private static int parseLabelSet(String s, int i, LabelsBuilder b) {
        while (true) {
            i = skipSpace(s, i);
            if (i >= s.length()) throw new IllegalArgumentException("unclosed label set in " + quote(s));
            char c = s.charAt(i);
            if (c == '}') return i + 1;
            String name;
            boolean quotedName = false;
            if (c == '"' || c == '\'' || c == '`') {
                GoStrings.Literal lit = GoStrings.read(s, i);
                name = lit.value();
                i = lit.end();
                quotedName = true;
            } else {
                int start = i;
                while (i < s.length() && isNameChar(s.charAt(i), i == start) && s.charAt(i) != ':') i++;
                if (i == start) throw new IllegalArgumentException("unexpected " + quote(String.valueOf(c)) + " in label set of " + quote(s));
                name = s.substring(start, i);
            }
            i = skipSpace(s, i);
            if (i < s.length() && s.charAt(i) == '=') {
                i = skipSpace(s, i + 1);
                if (i >= s.length()) throw new IllegalArgumentException("missing label value in " + quote(s));
                GoStrings.Literal value = GoStrings.read(s, i);
                b.set(name, value.value());
                i = value.end();
            } else if (quotedName) {
                b.set(tally.model.Labels.METRIC_NAME, name); // {"my.metric", ...}: a quoted metric name
            } else {
                throw new IllegalArgumentException("expected '=' after label " + quote(name) + " in " + quote(s));
            }
            i = skipSpace(s, i);
            if (i < s.length() && s.charAt(i) == ',') {
                i++;
            } else if (i < s.length() && s.charAt(i) != '}') {
                throw new IllegalArgumentException("expected ',' or '}' in label set of " + quote(s));
            }
        }
    }

    /** Expands the value items starting at {@code i}. */
    static List<SeqValue> parseValues(String s, int i) {
        List<SeqValue> out = new ArrayList<>();
        if (i < s.length() && !isSpace(s.charAt(i))) {
            throw new IllegalArgumentException("expected a space after the series in " + quote(s));
        }
        while (true) {
            i = skipSpace(s, i);
            if (i >= s.length()) return out;
            if (s.startsWith("{{", i)) {
                i = histogramItem(s, i, out);
                continue;
            }
            int end = i;
            while (end < s.length() && !isSpace(s.charAt(end))) end++;
            expandItem(s.substring(i, end), out);
            i = end;
        }
    }

    private static void expandItem(String item, List<SeqValue> out) {
        Matcher m = BLANK.matcher(item);
        if (m.matches()) {
            int n = m.group(1) == null ? 1 : Integer.parseInt(m.group(1));
            for (int k = 0; k < n; k++) out.add(SeqValue.OMITTED);
            return;
        }
        if (STALE.matcher(item).matches()) {
            out.add(SeqValue.of(StaleNaN.VALUE));
            return;
        }
        m = ITEM.matcher(item);
        if (!m.matches()) throw new IllegalArgumentException("invalid value " + quote(item));
        double v = parseFloat(m.group(1));
        if (m.group(4) == null) {
            if (m.group(2) != null) throw new IllegalArgumentException("missing 'x<count>' in " + quote(item));
            out.add(SeqValue.of(v));
            return;
        }
        int n = Integer.parseInt(m.group(4));
        double inc = m.group(2) == null ? 0 : parseFloat(m.group(2) + m.group(3));
        out.add(SeqValue.of(v));
        for (int k = 1; k <= n; k++) {
            v += inc; // repeated addition, not v0 + k*inc: float error accumulates exactly as in Go
            out.add(SeqValue.of(v));
        }
    }

    /** {@code {{...}}}, {@code {{...}}xN}, {@code {{...}}+{{...}}xN}, {@code {{...}}-{{...}}xN}. */
    private static int histogramItem(String s, int i, List<SeqValue> out) {
        int end = closeHistogram(s, i);
        int count = 1;
        if (end < s.length() && (s.charAt(end) == '+' || s.charAt(end) == '-') && s.startsWith("{{", end + 1)) {
            end = closeHistogram(s, end + 1);
        }
        if (end < s.length() && s.charAt(end) == 'x') {
            int start = ++end;
            while (end < s.length() && Character.isDigit(s.charAt(end))) end++;
            if (start == end) throw new IllegalArgumentException("missing count after 'x' in " + quote(s));
            count = Integer.parseInt(s.substring(start, end)) + 1;
        }
        for (int k = 0; k < count; k++) out.add(SeqValue.HISTOGRAM);
        return end;
    }

    private static int closeHistogram(String s, int i) {
        int close = s.indexOf("}}", i + 2);
        if (close < 0) throw new IllegalArgumentException("unclosed histogram literal in " + quote(s));
        return close + 2;
    }

    static double parseFloat(String s) {
        String body = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
        boolean negative = s.startsWith("-");
        if (body.equalsIgnoreCase("inf")) return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        if (body.equalsIgnoreCase("nan")) return Double.NaN;
        return Double.parseDouble(s);
    }

    private static boolean isNameChar(char c, boolean first) {
        return c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
    }

    private static boolean isSpace(char c) { return c == ' ' || c == '\t'; }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && isSpace(s.charAt(i))) i++;
        return i;
    }

    private static String quote(String s) { return '"' + s + '"'; }
}
