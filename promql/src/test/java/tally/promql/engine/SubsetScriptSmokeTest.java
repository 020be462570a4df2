package tally.promql.engine;

import java.nio.file.*;
import java.util.*;
import java.util.regex.Pattern;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tally.model.*;
import tally.promql.ast.Expr;
import tally.promql.parser.PromQLParser;

/**
 * Temporary, minimal loop over the S1 subset of Prometheus's .test scripts (shared reference material), until
 * the runner branch's full runner replaces it. Also re-runs each instant eval as a range query and checks the
 * point at the eval time, as the Go runner does. Skipped when the reference directory is absent.
 */
class SubsetScriptSmokeTest {
    static final Pattern INSTANT = Pattern.compile("^eval(?:_(fail|warn|ordered|info))?\\s+instant\\s+(?:at\\s+(.+?))?\\s+(.+)$");
    static final Pattern RANGE = Pattern.compile("^eval(?:_(fail|warn|info))?\\s+range\\s+from\\s+(.+)\\s+to\\s+(.+)\\s+step\\s+(.+?)\\s+(.+)$");
    static final Pattern LOAD = Pattern.compile("^load(?:_with_nhcb)?\\s+(.+)$");

    @Test
    void subsetScriptsPass() throws Exception {
        for (String dir : List.of("/work/shared/reference/promql-tests/subset", "/work/shared/reference/promql-tests/subset-derived")) {
            Path p = Paths.get(System.getenv().getOrDefault("SCRIPTS", dir));
            Assumptions.assumeTrue(Files.isDirectory(p), "reference scripts not available");
            List<String> failures = new ArrayList<>();
            int pass = 0;
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(p, "*.test")) {
                ds.forEach(files::add);
            }
            Collections.sort(files);
            for (Path f : files) pass += runFile(f, failures)[0];
            failures.forEach(System.out::println); // lands in the surefire output file, for diagnosis
            Assertions.assertTrue(pass > 0);
            Assertions.assertEquals(List.of(), failures, p + ": " + pass + " passed");
        }
    }

    /** Whole upstream files that use only float data and features Tally implements (@, subqueries, trig, staleness). */
    @Test
    void floatOnlyUpstreamFilesPass() throws Exception {
        Path dir = Paths.get("/work/shared/reference/promql-tests/upstream");
        Assumptions.assumeTrue(Files.isDirectory(dir), "reference scripts not available");
        for (String name : List.of("at_modifier.test", "collision.test", "literals.test", "selectors.test", "staleness.test",
                "trig_functions.test")) {
            List<String> failures = new ArrayList<>();
            int pass = runFile(dir.resolve(name), failures)[0];
            failures.forEach(System.out::println);
            Assertions.assertTrue(pass > 0);
            Assertions.assertEquals(List.of(), failures, name + ": " + pass + " passed");
        }
    }

    int[] runFile(Path f, List<String> failures) throws Exception {
        List<String> lines = new ArrayList<>();
        for (String l : Files.readAllLines(f)) {
            l = l.trim();
            if (l.startsWith("#")) l = "";
            lines.add(l);
        }
        MemoryQueryable store = new MemoryQueryable();
        Engine engine = new Engine(new EngineOptions(300_000, 60_000, 60_000, 50_000_000, 11_000));
        int pass = 0, fail = 0;
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            if (line.isEmpty()) { i++; continue; }
            int start = i;
            List<String> block = new ArrayList<>();
            i++;
            if (line.equals("clear")) { store = new MemoryQueryable(); continue; }
            while (i < lines.size() && !lines.get(i).isEmpty()) block.add(lines.get(i++));
            if (line.equals("clear")) { store = new MemoryQueryable(); continue; }
            Matcher lm = LOAD.matcher(line);
            if (lm.matches()) {
                long interval = PromQLParser.parseDuration(lm.group(1));
                Map<Labels, List<Double>> blk = new LinkedHashMap<>();
                for (String s : block) {
                    if (s.contains("{{") || s.contains("@st")) continue;
                    try { String[] p = splitSeries(s); blk.put(parseLabels(p[0]), expand(p[1])); } catch (RuntimeException ex) { }
                }
                for (Map.Entry<Labels, List<Double>> en : blk.entrySet()) {
                    List<Double> v = en.getValue();
                    for (int k = 0; k < v.size(); k++) if (v.get(k) != null) {
                        try { store.add(en.getKey(), k * interval, v.get(k)); } catch (IllegalArgumentException ex) { }
                    }
                }
                continue;
            }
            String where = f.getFileName() + ":" + (start + 1) + " " + line;
            try {
                String err = eval(engine, store, line, block);
                if (err == null) pass++; else { fail++; failures.add(where + "\n    " + err); }
            } catch (Throwable t) {
                fail++;
                failures.add(where + "\n    EXC " + t);
            }
        }
        return new int[] {pass, fail};
    }

    static String[] splitSeries(String s) {
        // series part ends at matching '}' or at first whitespace if no braces
        int depth = 0; boolean q = false; char qc = 0;
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (q) { if (c == '\\') { k++; continue; } if (c == qc) q = false; continue; }
            if (c == '"' || c == '\'' || c == '`') { q = true; qc = c; continue; }
            if (c == '{') depth++;
            if (c == '}') { depth--; if (depth == 0) return new String[] {s.substring(0, k + 1), s.substring(k + 1).trim()}; }
            if (depth == 0 && Character.isWhitespace(c)) {
                String rest = s.substring(k).trim();
                if (rest.startsWith("{")) continue;
                return new String[] {s.substring(0, k), rest};
            }
        }
        return new String[] {s, ""};
    }

    static Labels parseLabels(String sel) {
        if (sel.replace(" ", "").equals("{}")) return Labels.EMPTY;
        List<tally.model.Matcher> ms = PromQLParser.parseSeriesSelector(sel);
        LabelsBuilder b = new LabelsBuilder();
        for (tally.model.Matcher m : ms) b.set(m.name(), m.value());
        return b.build();
    }

    static final double STALE = Double.longBitsToDouble(0x7ff0000000000002L);

    /** Returns values per step; null = no sample. */
    static List<Double> expand(String vals) {
        List<Double> out = new ArrayList<>();
        if (vals.isEmpty()) return out;
        for (String item : vals.trim().split("\\s+")) {
            if (item.equals("_")) { out.add(null); continue; }
            if (item.equals("stale")) { out.add(STALE); continue; }
            Matcher m = Pattern.compile("^(.+?)x(\\d+)$").matcher(item);
            if (m.matches() && !item.equalsIgnoreCase("inf") ) {
                String base = m.group(1);
                int n = Integer.parseInt(m.group(2));
                if (base.equals("_")) { for (int k = 0; k < n; k++) out.add(null); continue; }
                if (base.equals("stale")) { for (int k = 0; k <= n; k++) out.add(STALE); continue; }
                Matcher pm = Pattern.compile("^([-+]?[^-+]+(?:[eE][-+]?\\d+)?)([-+])(.+)$").matcher(base);
                if (pm.matches()) {
                    double a = num(pm.group(1));
                    double d = num(pm.group(3));
                    if (pm.group(2).equals("-")) d = -d;
                    double v = a;
                    for (int k = 0; k <= n; k++) { out.add(v); v += d; }
                } else {
                    double a = num(base);
                    for (int k = 0; k <= n; k++) out.add(a);
                }
                continue;
            }
            out.add(num(item));
        }
        return out;
    }

    static double num(String s) {
        String t = s.toLowerCase(Locale.ROOT);
        if (t.equals("inf") || t.equals("+inf")) return Double.POSITIVE_INFINITY;
        if (t.equals("-inf")) return Double.NEGATIVE_INFINITY;
        if (t.equals("nan")) return Double.NaN;
        if (t.startsWith("0x")) return Long.parseLong(t.substring(2), 16);
        return Double.parseDouble(s);
    }

    void load(MemoryQueryable store, String line, long interval) {
        String[] p = splitSeries(line);
        Labels l = parseLabels(p[0]);
        List<Double> v = expand(p[1]);
        for (int k = 0; k < v.size(); k++) if (v.get(k) != null) store.add(l, k * interval, v.get(k));
    }

    static long time(String s) { return PromQLParser.parseDuration(s.trim()); }

    String eval(Engine engine, MemoryQueryable store, String header, List<String> block) {
        Matcher im = INSTANT.matcher(header);
        Matcher rm = RANGE.matcher(header);
        boolean expectFail = false, ordered = false; String failMsg = null, failRegex = null;
        String legacy; String exprText;
        long t = 0, start = 0, end = 0, step = 0; boolean range;
        if (im.matches()) { legacy = im.group(1); t = time(im.group(2)); exprText = im.group(3); range = false; }
        else if (rm.matches()) { legacy = rm.group(1); start = time(rm.group(2)); end = time(rm.group(3)); step = time(rm.group(4)); exprText = rm.group(5); range = true; }
        else return "bad header";
        if ("fail".equals(legacy)) expectFail = true;
        if ("ordered".equals(legacy)) ordered = true;
        List<String> results = new ArrayList<>();
        String expectString = null;
        boolean rangeVector = false; long rvFrom = 0, rvTo = 0, rvStep = 0;
        for (String b : block) {
            if (b.startsWith("expect ")) {
                String rest = b.substring(7).trim();
                if (rest.startsWith("fail")) {
                    expectFail = true;
                    Matcher mm = Pattern.compile("fail\\s+msg:\\s*(.*)").matcher(rest);
                    if (mm.matches()) failMsg = mm.group(1).trim();
                    Matcher mr = Pattern.compile("fail\\s+regex:\\s*(.*)").matcher(rest);
                    if (mr.matches()) failRegex = mr.group(1).trim();
                } else if (rest.startsWith("ordered")) ordered = true;
                else if (rest.startsWith("string ")) expectString = rest.substring(7).trim();
                else if (rest.startsWith("range vector")) {
                    Matcher mm = Pattern.compile("range vector from (\\S+) to (\\S+) step (\\S+)").matcher(rest);
                    mm.find();
                    rangeVector = true; rvFrom = time(mm.group(1)); rvTo = time(mm.group(2)); rvStep = time(mm.group(3));
                }
                continue;
            }
            if (b.startsWith("expected_fail_message") || b.startsWith("expected_fail_regexp")) continue;
            results.add(b);
        }
        QueryResult res;
        try {
            Expr e = PromQLParser.parseExpr(exprText);
            if (range) res = engine.range(store, e, start, end, step);
            else res = engine.instant(store, e, rangeVector ? rvTo : t);
        } catch (RuntimeException ex) {
            if (expectFail) {
                if (failMsg != null && !failMsg.equals(ex.getMessage())) return "fail msg mismatch: got " + ex.getMessage() + " want " + failMsg;
                return null;
            }
            return "unexpected error: " + ex;
        }
        if (expectFail) return "expected failure, got " + res.value();
        Value v = res.value();
        if (expectString != null) {
            String want = expectString.substring(1, expectString.length() - 1);
            return v instanceof StringValue sv && sv.v().equals(want) ? null : "string got " + v + " want " + want;
        }
        if (!range && !ordered && !rangeVector && (v instanceof Scalar || v instanceof InstantVector)) {
            String c = rangeConsistency(engine, store, exprText, t, v);
            if (c != null) return c;
        }
        if (v instanceof Scalar sc) {
            if (results.size() != 1) return "scalar result " + sc.v() + " but expected " + results;
            double want = num(results.get(0).trim());
            return close(want, sc.v()) ? null : "scalar got " + sc.v() + " want " + want;
        }
        Map<Labels, List<Double>> want = new LinkedHashMap<>();
        for (String r : results) {
            String[] p = splitSeries(r);
            want.put(parseLabels(p[0]), expand(p[1]));
        }
        Map<Labels, List<Double>> got = new LinkedHashMap<>();
        if (v instanceof InstantVector iv) {
            for (Sample s : iv.samples()) {
                if (got.containsKey(s.labels())) return "duplicate labels in result " + s.labels();
                got.put(s.labels(), new ArrayList<>(List.of(s.v())));
            }
            if (ordered) {
                List<Labels> gk = new ArrayList<>(got.keySet()), wk = new ArrayList<>(want.keySet());
                if (!gk.equals(wk)) return "order got " + gk + " want " + wk;
            }
        } else if (v instanceof RangeMatrix m) {
            long s0 = range ? start : rvFrom, st = range ? step : rvStep, e0 = range ? end : rvTo;
            for (SeriesPoints sp : m.series()) {
                List<Double> vals = new ArrayList<>();
                int k = 0;
                for (long tt = s0; tt <= e0; tt += st) {
                    if (k < sp.count() && sp.ts()[k] == tt) vals.add(sp.vs()[k++]); else vals.add(null);
                }
                if (k != sp.count()) return "points off grid for " + sp.labels() + " " + Arrays.toString(Arrays.copyOf(sp.ts(), sp.count()));
                got.put(sp.labels(), vals);
            }
        } else {
            return "unsupported result " + v;
        }
        if (!got.keySet().equals(want.keySet())) return "series got " + got + " want " + want;
        for (Labels l : want.keySet()) {
            List<Double> w = want.get(l), g = got.get(l);
            // trim trailing nulls
            while (!w.isEmpty() && w.get(w.size() - 1) == null && w.size() > g.size()) w.remove(w.size() - 1);
            while (g.size() > w.size() && g.get(g.size() - 1) == null) g.remove(g.size() - 1);
            while (w.size() < g.size()) w.add(null);
            for (int k = 0; k < w.size(); k++) {
                Double a = w.get(k), b = k < g.size() ? g.get(k) : null;
                if (a == null && b == null) continue;
                if (a == null || b == null || !close(a, b)) return "value mismatch " + l + " got " + g + " want " + w;
            }
        }
        return null;
    }

    String rangeConsistency(Engine engine, MemoryQueryable store, String exprText, long t, Value v) {
        RangeMatrix m;
        try {
            m = (RangeMatrix) engine.range(store, PromQLParser.parseExpr(exprText), t - 60000, t + 60000, 60000).value();
        } catch (RuntimeException ex) {
            return "range re-run failed: " + ex;
        }
        Map<Labels, Double> at = new HashMap<>();
        for (SeriesPoints sp : m.series()) for (int k = 0; k < sp.count(); k++) if (sp.ts()[k] == t) at.put(sp.labels(), sp.vs()[k]);
        Map<Labels, Double> inst = new HashMap<>();
        if (v instanceof Scalar sc) inst.put(Labels.EMPTY, sc.v());
        else for (Sample s : ((InstantVector) v).samples()) inst.put(s.labels(), s.v());
        if (!at.keySet().equals(inst.keySet())) return "range re-run series differ: range " + at + " instant " + inst;
        for (Labels l : at.keySet()) if (!close(at.get(l), inst.get(l))) return "range re-run value differs " + l + ": " + at.get(l) + " vs " + inst.get(l);
        return null;
    }

    static boolean close(double a, double b) {
        if (Double.isNaN(a) && Double.isNaN(b)) return true;
        if (a == b) return true;
        double absSum = Math.abs(a) + Math.abs(b), diff = Math.abs(a - b);
        if (a == 0 || b == 0 || absSum < Double.MIN_NORMAL) return diff < 1e-6 * Double.MIN_NORMAL;
        return diff / Math.min(absSum, Double.MAX_VALUE) < 1e-6;
    }
}
