package tally.bench.load;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code report --run=RUNDIR[,RUNDIR...] --out=DIR [--name=peers-DATE]}: turns the measurements peers.sh left in
 * RUNDIR/&lt;workload&gt;/&lt;system&gt;/*.json into one side-by-side table (Markdown and JSON) with Tally/peer ratios.
 */
final class ReportCommand {
    static final String TALLY = "tally";

    private ReportCommand() {}

    static int run(List<String> argv) throws IOException {
        Args a = new Args(argv);
        // Several run directories (comma-separated) make one table: each system's measurements come from
        // the last run that measured it, and every run's environment is printed, so it is plain which
        // system was measured when.
        List<Path> runs = new ArrayList<>();
        for (String r : a.required("run").split(",")) runs.add(Path.of(r.trim()));
        Path out = Path.of(a.required("out"));
        String name = a.str("name", "peers");
        StringBuilder md = new StringBuilder();
        Map<String, Object> json = new LinkedHashMap<>();
        List<String> envLines = new ArrayList<>();
        for (Path run : runs) {
            Path env = run.resolve("env.txt");
            if (!Files.exists(env)) continue;
            if (runs.size() > 1) envLines.add("# run " + run.getFileName() + ": " + measuredIn(run));
            envLines.addAll(Files.readAllLines(env));
        }
        if (!envLines.isEmpty()) {
            md.append("```\n").append(String.join("\n", envLines).strip()).append("\n```\n\n");
            json.put("environment", envLines);
        }
        for (String workload : workloads(runs)) {
            JsonObject manifest = null;
            List<String> systems = new ArrayList<>();
            Map<String, Path> dirs = new LinkedHashMap<>();
            for (String s : new String[] {TALLY, "tally-otlp", "prometheus", "victoria-metrics"}) {
                for (Path run : runs) {
                    Path wdir = run.resolve(workload);
                    if (!Files.exists(wdir.resolve(s).resolve("replay.json"))) continue;
                    JsonObject m = ReplayCommand.readJson(wdir.resolve("manifest.json"));
                    if (manifest != null && !manifest.get("params").equals(m.get("params"))) {
                        throw new IllegalArgumentException("runs measured different " + workload + " workloads: "
                                + manifest.get("params") + " and " + m.get("params"));
                    }
                    manifest = m;
                    dirs.put(s, wdir.resolve(s));
                }
                if (dirs.containsKey(s)) systems.add(s);
            }
            if (manifest == null) continue;
            Map<String, Map<String, Double>> rows = new LinkedHashMap<>();
            for (String s : systems) rows.put(s, measures(dirs.get(s), manifest));
            json.put(workload, Map.of("manifest", manifest, "systems", rows));
            table(md, workload, manifest, systems, rows);
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve(name + ".md"), md.toString(), StandardCharsets.UTF_8);
        Files.writeString(out.resolve(name + ".json"), new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
                .create().toJson(json) + "\n", StandardCharsets.UTF_8);
        System.out.print(md);
        return 0;
    }

    /** Workloads measured in any of the runs, in peers.sh's order, then any others by name. */
    static List<String> workloads(List<Path> runs) throws IOException {
        List<String> order = new ArrayList<>(List.of("synthetic", "synthetic-phased", "synthetic-jitter", "claude", "claude-scale"));
        java.util.TreeSet<String> found = new java.util.TreeSet<>();
        for (Path run : runs) {
            if (!Files.isDirectory(run)) continue;
            try (var dirs = Files.list(run)) {
                dirs.filter(d -> Files.exists(d.resolve("manifest.json"))).forEach(d -> found.add(d.getFileName().toString()));
            }
        }
        List<String> out = new ArrayList<>();
        for (String w : order) if (found.remove(w)) out.add(w);
        out.addAll(found);
        return out;
    }

    /** "workload: systems" of one run directory. */
    private static String measuredIn(Path run) throws IOException {
        List<String> parts = new ArrayList<>();
        for (String workload : workloads(List.of(run))) {
            List<String> systems = new ArrayList<>();
            for (String s : new String[] {TALLY, "tally-otlp", "prometheus", "victoria-metrics"}) {
                if (Files.exists(run.resolve(workload).resolve(s).resolve("replay.json"))) systems.add(s);
            }
            if (!systems.isEmpty()) parts.add(workload + " " + String.join(", ", systems));
        }
        return String.join("; ", parts);
    }

    /** Measure name -> value for one system; query rows are named "q: <query name>". */
    private static Map<String, Double> measures(Path dir, JsonObject manifest) throws IOException {
        Map<String, Double> m = new LinkedHashMap<>();
        JsonObject replay = ReplayCommand.readJson(dir.resolve("replay.json"));
        double acked = replay.get("acked_samples").getAsDouble();
        double series = manifest.get("series").getAsDouble();
        m.put("acked samples/s", replay.get("samples_per_second").getAsDouble());
        m.put("failed requests", replay.get("failed_requests").getAsDouble());
        m.put("request p99 (ms)", replay.getAsJsonObject("latency_ms").get("p99").getAsDouble());
        double cpu0 = num(dir, "cpu0.json", "cpu_seconds");
        double ingestCpu = num(dir, "ingest.json", "cpu_seconds");
        double persistCpu = num(dir, "persist.json", "cpu_seconds");
        if (!Double.isNaN(ingestCpu)) m.put("CPU us/sample, ingest", (ingestCpu - cpu0) / acked * 1e6);
        if (!Double.isNaN(persistCpu)) m.put("CPU us/sample, ingest+persist", (persistCpu - cpu0) / acked * 1e6);
        double disk = num(dir, "disk.json", "disk_bytes");
        double index = num(dir, "disk.json", "index_bytes");
        m.put("bytes/sample on disk", disk / acked);
        // allocated (above) is what the disk holds; apparent sizes overstate sparse files (Chronicle Map's)
        double apparent = num(dir, "disk.json", "apparent_bytes");
        if (!Double.isNaN(apparent)) m.put("apparent bytes/sample (sparse files at full size)", apparent / acked);
        if (!Double.isNaN(index)) {
            m.put("index share of disk (%)", 100 * index / disk);
            m.put("index bytes/series", index / series);
        }
        double rss = Math.max(num(dir, "ingest.json", "peak_rss_bytes"), orZero(num(dir, "persist.json", "peak_rss_bytes")));
        m.put("peak RSS ingest (MiB)", rss / (1 << 20));
        double qrss = num(dir, "qstats.json", "peak_rss_bytes");
        if (!Double.isNaN(qrss)) m.put("peak RSS with queries (MiB)", Math.max(qrss, rss) / (1 << 20));
        double probes = num(dir, "probe.json", "probes");
        if (probes > 0) {
            m.put("queries during ingest: answered of sent", num(dir, "probe.json", "answered") / probes);
            m.put("queries during ingest: median ms", num(dir, "probe.json", "median_ms"));
            m.put("queries during ingest: max ms", num(dir, "probe.json", "max_ms"));
        }
        double shutdown = num(dir, "shutdown.json", "shutdown_seconds");
        if (!Double.isNaN(shutdown)) m.put("shutdown after SIGTERM (s)", shutdown);
        double restart = num(dir, "restart.json", "restart_seconds");
        if (!Double.isNaN(restart)) {
            m.put("restart to ready (s)", restart);
            m.put("peak RSS of the restart (MiB)", num(dir, "restart.json", "peak_rss_bytes") / (1 << 20));
        }
        double wal = tallyMetric(dir, "tally_wal_size_bytes");
        if (!Double.isNaN(wal)) m.put("WAL bytes after persist", wal);
        double throttled = tallyMetricSum(dir, "tally_ingest_requests_throttled_total");
        if (!Double.isNaN(throttled)) m.put("ingest requests told to retry", throttled);
        rssOverTime(dir, m);
        Path q = dir.resolve("queries.json");
        if (Files.exists(q)) {
            for (JsonElement e : ReplayCommand.readJson(q).getAsJsonArray("queries")) {
                JsonObject o = e.getAsJsonObject();
                m.put("q: " + o.get("name").getAsString(), o.get("status").getAsInt() == 200 ? o.get("median_ms").getAsDouble() : Double.NaN);
                if (o.has("series")) {
                    m.put("r: " + o.get("name").getAsString(), o.get("value_sum").getAsDouble());
                    m.put("n: " + o.get("name").getAsString(), o.get("series").getAsDouble());
                }
            }
            panelMeasures(ReplayCommand.readJson(q), m);
        }
        return m;
    }

    /**
     * Per dashboard range, the number of Grafana requests, the sum and the largest of their median times and
     * the failures; each request's median is kept under "p: name" for the detail table.
     */
    private static void panelMeasures(JsonObject queries, Map<String, Double> m) {
        if (!queries.has("panels")) return;
        Map<String, double[]> byRange = new LinkedHashMap<>(); // range -> {count, sum, max, failed}
        for (JsonElement e : queries.getAsJsonArray("panels")) {
            JsonObject o = e.getAsJsonObject();
            String name = o.get("name").getAsString();
            String range = name.substring(0, name.indexOf(' '));
            boolean ok = o.get("status").getAsInt() == 200;
            double ms = o.get("median_ms").getAsDouble();
            double[] r = byRange.computeIfAbsent(range, k -> new double[4]);
            r[0]++;
            r[1] += ms;
            r[2] = Math.max(r[2], ms);
            if (!ok) r[3]++;
            m.put("p: " + name, ok ? ms : Double.NaN);
        }
        for (Map.Entry<String, double[]> e : byRange.entrySet()) {
            String g = "Grafana dashboard over " + e.getKey() + " (" + (int) e.getValue()[0] + " requests): ";
            m.put(g + "sum of medians (ms)", e.getValue()[1]);
            m.put(g + "slowest median (ms)", e.getValue()[2]);
            m.put(g + "failed", e.getValue()[3]);
        }
    }

    /** From rss.tsv (peers.sh samples RSS every 2 s): the peak per phase and RSS at each tenth of the run. */
    private static void rssOverTime(Path dir, Map<String, Double> m) throws IOException {
        Path f = dir.resolve("rss.tsv");
        if (!Files.exists(f)) return;
        List<double[]> rows = new ArrayList<>();
        List<String> phases = new ArrayList<>();
        for (String line : Files.readAllLines(f)) {
            String[] p = line.trim().split("\\s+");
            if (p.length < 3) continue;
            rows.add(new double[] {Double.parseDouble(p[0]), Double.parseDouble(p[1])});
            phases.add(p[2]);
        }
        if (rows.isEmpty()) return;
        for (String phase : List.of("ingest", "persist", "queries")) {
            double peak = Double.NaN;
            for (int i = 0; i < rows.size(); i++) {
                if (phases.get(i).equals(phase)) peak = Double.isNaN(peak) ? rows.get(i)[1] : Math.max(peak, rows.get(i)[1]);
            }
            if (!Double.isNaN(peak)) m.put("RSS over time: peak during " + phase + " (MiB)", peak);
        }
        double end = rows.get(rows.size() - 1)[0];
        m.put("RSS over time: seconds sampled", end);
        for (int tenth = 1; tenth <= 10; tenth++) {
            double at = end * tenth / 10;
            double v = rows.get(0)[1];
            for (double[] r : rows) if (r[0] <= at) v = r[1];
            m.put("RSS over time: at " + (tenth * 10) + " % of the run (MiB)", v);
        }
    }

    /** A sample of Tally's /metrics as saved after persisting (tally-metrics.txt), NaN when absent. */
    private static double tallyMetric(Path dir, String name) throws IOException {
        Path f = dir.resolve("tally-metrics.txt");
        if (!Files.exists(f)) return Double.NaN;
        for (String line : Files.readAllLines(f)) if (line.startsWith(name + " ")) return Double.parseDouble(line.substring(name.length() + 1));
        return Double.NaN;
    }

    /** The sum over every label set of a metric in tally-metrics.txt (0 when it has none yet), NaN without the file. */
    private static double tallyMetricSum(Path dir, String name) throws IOException {
        Path f = dir.resolve("tally-metrics.txt");
        if (!Files.exists(f)) return Double.NaN;
        double sum = 0;
        for (String line : Files.readAllLines(f)) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
        return sum;
    }

    private static double orZero(double d) {
        return Double.isNaN(d) ? 0 : d;
    }

    private static double num(Path dir, String file, String key) throws IOException {
        Path p = dir.resolve(file);
        if (!Files.exists(p)) return Double.NaN;
        JsonObject o = ReplayCommand.readJson(p);
        return o.has(key) ? o.get(key).getAsDouble() : Double.NaN;
    }

    private static void table(StringBuilder md, String workload, JsonObject manifest, List<String> systems,
                              Map<String, Map<String, Double>> rows) {
        JsonObject rw = manifest.getAsJsonObject("remote-write");
        md.append("### ").append(workload).append(' ').append(manifest.get("params")).append("\n\n");
        md.append(String.format(Locale.ROOT, "%,d series, %,d samples (%.1f samples/series), %,d remote-write requests%n%n",
                manifest.get("series").getAsLong(), rw.get("samples").getAsLong(),
                rw.get("samples").getAsDouble() / manifest.get("series").getAsDouble(), rw.get("requests").getAsLong()));
        List<String> peers = new ArrayList<>();
        for (String s : systems) if (!s.startsWith(TALLY)) peers.add(s);
        md.append("| measure |");
        for (String s : systems) md.append(' ').append(s).append(" |");
        if (rows.containsKey(TALLY)) for (String p : peers) md.append(" tally/").append(p).append(" |");
        md.append("\n|---|");
        for (int i = 0; i < systems.size() + (rows.containsKey(TALLY) ? peers.size() : 0); i++) md.append("---:|");
        md.append('\n');
        List<String> keys = new ArrayList<>();
        for (Map<String, Double> r : rows.values()) for (String k : r.keySet()) if (!keys.contains(k) && !k.startsWith("r: ") && !k.startsWith("n: ") && !k.startsWith("p: ")) keys.add(k);
        for (String k : keys) {
            String label = k.startsWith("q: ") ? "query ms: " + k.substring(3) : k;
            md.append("| ").append(label).append(" |");
            for (String s : systems) md.append(' ').append(fmt(rows.get(s).get(k))).append(" |");
            if (rows.containsKey(TALLY)) {
                for (String p : peers) {
                    Double t = rows.get(TALLY).get(k), v = rows.get(p).get(k);
                    md.append(' ').append(t == null || v == null || v == 0 || t.isNaN() || v.isNaN() ? "" : fmt(t / v) + "x").append(" |");
                }
            }
            md.append('\n');
        }
        md.append("\nQuery results (series / sum of values), to check that the systems agree:\n\n| query |");
        for (String s : systems) md.append(' ').append(s).append(" |");
        md.append("\n|---|");
        for (int i = 0; i < systems.size(); i++) md.append("---:|");
        md.append('\n');
        for (String k : keys) {
            if (!k.startsWith("q: ")) continue;
            String n = k.substring(3);
            md.append("| ").append(n).append(" |");
            for (String s : systems) {
                Double cnt = rows.get(s).get("n: " + n), sum = rows.get(s).get("r: " + n);
                String cell = cnt != null ? String.format(Locale.ROOT, "%.0f / %.6g", cnt, sum)
                        : rows.get(s).containsKey(k) ? "error" : "not measured";
                md.append(' ').append(cell).append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
        panelTable(md, systems, rows);
    }

    /** Median ms of every Grafana request, per system. */
    private static void panelTable(StringBuilder md, List<String> systems, Map<String, Map<String, Double>> rows) {
        List<String> names = new ArrayList<>();
        for (Map<String, Double> r : rows.values()) for (String k : r.keySet()) if (k.startsWith("p: ") && !names.contains(k)) names.add(k);
        if (names.isEmpty()) return;
        md.append("Grafana dashboard requests (median ms; n/a = error):\n\n| request |");
        for (String s : systems) md.append(' ').append(s).append(" |");
        md.append("\n|---|");
        for (int i = 0; i < systems.size(); i++) md.append("---:|");
        md.append('\n');
        for (String k : names) {
            md.append("| ").append(k.substring(3).replace("|", "\\|")).append(" |");
            for (String s : systems) md.append(' ').append(fmt(rows.get(s).get(k))).append(" |");
            md.append('\n');
        }
        md.append('\n');
    }

    static String fmt(Double v) {
        if (v == null) return "";
        if (v.isNaN()) return "n/a";
        double a = Math.abs(v);
        if (a >= 1e6) return String.format(Locale.ROOT, "%.2f M", v / 1e6);
        if (a >= 1e4) return String.format(Locale.ROOT, "%.1f k", v / 1e3);
        if (a >= 100) return String.format(Locale.ROOT, "%.0f", v);
        if (a >= 10) return String.format(Locale.ROOT, "%.1f", v);
        return String.format(Locale.ROOT, "%.2f", v);
    }

}
