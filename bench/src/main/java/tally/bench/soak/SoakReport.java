package tally.bench.soak;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.google.gson.GsonBuilder;

/** The run's result: one JSON document (--out) and a markdown summary; {@link #failures} decides the exit status. */
final class SoakReport {
    private final SoakConfig cfg;
    private final Map<Transport, List<SoakUser>> users;
    private final Map<String, Object> json = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();
    private final StringBuilder md = new StringBuilder();

    SoakReport(SoakConfig cfg, Map<Transport, List<SoakUser>> users) {
        this.cfg = cfg;
        this.users = users;
    }

    /** "Twice the Claude Code benchmark rate", spelled out. */
    String rateDefinition() {
        StringBuilder b = new StringBuilder();
        double exportsPerS = cfg.users * 1000.0 / cfg.exportIntervalMs;
        b.append(String.format("rate: %d users (the benchmark's scale target is 1,000), each always in a Claude Code session (5-20 min, then a new session.id),%n"
                + "  exporting every %d s (Claude Code's default is 60 s: twice the rate) = %.1f exports/s:%n", cfg.users, cfg.exportIntervalMs / 1000, exportsPerS));
        for (Map.Entry<Transport, List<SoakUser>> e : users.entrySet()) {
            b.append(String.format("  %-13s %4d users  %s%n", e.getKey().key(), e.getValue().size(), e.getKey().what));
        }
        b.append("  a metrics export carries ~6-16 points (session count, active time cli/user, 3-4 token types + cost for Sonnet and sometimes Haiku,\n"
                + "  edit decisions, lines of code; delta exports skip unchanged series, cumulative ones repeat every series of the session),\n"
                + "  an events export 1-7 events (api_request, tool_result); plus the Claude Code dashboard every " + cfg.queryEveryMs / 1000 + " s over the last 30 min");
        return b.toString();
    }

    void finish(long start, long stopped, Ledger ledger, Timeline timeline, List<Killer.Restart> restarts, Killer.Restart lastKill,
                DiskFiller.Phase disk, DiskFiller filler, long maxDiskUsed, long diskUsedEnd, double walBytes,
                List<ProcessSampler.Sample> samples, DashboardReader reader, Verifier.Result verified, Verifier.Result afterKill,
                long unsent, List<Writer> writers) throws IOException {
        double seconds = (stopped - start) / 1000.0;
        json.put("machine", machine());
        json.put("config", Map.of("minutes", cfg.durationMs / 60_000.0, "kill_every_s", cfg.killEveryMs / 1000, "disk_mb", cfg.diskMb,
                "users", cfg.users, "export_interval_s", cfg.exportIntervalMs / 1000, "disk_hold_s", cfg.diskHoldMs / 1000));
        json.put("rate_definition", rateDefinition());
        Map<String, Object> ingest = new LinkedHashMap<>();
        long total = 0;
        for (Transport t : Transport.values()) {
            long s = ledger.ackedSamples.get(t).get();
            total += s;
            ingest.put(t.key(), Map.of("users", users.get(t).size(), "acked_samples", s, "acked_requests", ledger.ackedRequests.get(t).get(),
                    "acked_samples_per_s", round(s / seconds)));
        }
        ingest.put("total_acked_samples", total);
        ingest.put("acked_samples_per_s", round(total / seconds));
        ingest.put("seconds", round(seconds));
        ingest.put("requests_with_partial_success", timeline.partialRequests.get());
        ingest.put("points_rejected_in_partial_success", timeline.partialPoints.get());
        ingest.put("requests_dropped_after_20_queued", timeline.droppedRequests.get());
        ingest.put("requests_unsent_at_end", unsent);
        json.put("ingest", ingest);
        md.append("## Soak result\n\n").append("```\n").append(rateDefinition()).append("\n```\n\n");
        md.append(String.format("Achieved: %,d acknowledged samples in %.0f s = **%.0f samples/s** (", total, seconds, total / seconds));
        for (Transport t : Transport.values()) md.append(t.key()).append(' ').append(String.format("%.0f", ledger.ackedSamples.get(t).get() / seconds)).append("/s, ");
        md.setLength(md.length() - 2);
        md.append(String.format("). Partial successes: %d requests (%d points); dropped after 20 queued: %d; unsent at the end: %d.%n%n",
                timeline.partialRequests.get(), timeline.partialPoints.get(), timeline.droppedRequests.get(), unsent));

        json.put("verification_at_end", verification(verified));
        json.put("verification_after_final_kill", verification(afterKill));
        md.append("| check | acked | found | missing | unverified | series | users | took |\n|---|---|---|---|---|---|---|---|\n");
        verifyRow("at the end", verified);
        verifyRow("after a final SIGKILL + restart", afterKill);
        md.append('\n');
        for (Verifier.Result v : List.of(verified, afterKill)) {
            if (v.missing > 0 || v.unverified > 0) failures.add("acknowledged samples missing: " + v.missing + ", unverified: " + v.unverified + " " + v.firstMissing);
            for (String m : v.firstMissing) md.append("- missing: ").append(m).append('\n');
        }

        List<Object> rs = new ArrayList<>();
        md.append("\n### Restarts\n\n| # | why | WAL bytes before | kill -> /-/ready | kill -> first ack per transport (ms) | WAL replay |\n|---|---|---|---|---|---|\n");
        int i = 0;
        List<Killer.Restart> allRestarts = new ArrayList<>(restarts);
        allRestarts.add(lastKill);
        for (Killer.Restart r : allRestarts) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("why", r.why);
            m.put("at_s", round((r.atMs - start) / 1000.0));
            m.put("wal_bytes_before_kill", r.walBytesBeforeKill);
            m.put("kill_to_ready_ms", r.readyMs);
            m.put("kill_to_first_ack_ms", r.firstAckMs);
            m.put("kill_to_all_transports_acked_ms", r.allAckedMs);
            m.put("wal_replay", r.walReplay);
            if (r.problem != null) {
                m.put("problem", r.problem);
                failures.add("restart: " + r.problem);
            }
            rs.add(m);
            md.append(String.format("| %d | %s | %s | %d ms | %s | %s |%n", ++i, r.why.split("\n")[0], Double.isNaN(r.walBytesBeforeKill) ? "" : String.format("%,.0f", r.walBytesBeforeKill),
                    r.readyMs, r.firstAckMs.isEmpty() ? "-" : r.firstAckMs.toString(), r.walReplay.replace("|", "/")));
        }
        json.put("restarts", rs);

        md.append("\n### Disk full\n\n");
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("tmpfs", filler.mounted ? cfg.diskMb + " MiB at " + filler.mountPoint : filler.skipped);
        d.put("max_used_bytes_outside_the_phase", maxDiskUsed);
        d.put("used_bytes_at_end", diskUsedEnd);
        d.put("wal_bytes_at_end", walBytes);
        if (disk == null) {
            d.put("phase", filler.mounted ? "not reached" : "skipped: " + filler.skipped);
            md.append("Skipped: ").append(filler.mounted ? "not reached" : filler.skipped).append("\n");
        } else {
            d.put("at_s", round((disk.atMs - start) / 1000.0));
            d.put("ballast_bytes", disk.ballastBytes);
            d.put("full_for_ms", disk.fullForMs);
            d.put("refusals_while_full", disk.refusals);
            d.put("refusal_examples", disk.examples);
            d.put("acked_samples_while_full", disk.acceptedWhileFull);
            d.put("query_while_full", disk.queryWhileFull);
            d.put("verified_while_full", disk.verifiedWhileFull == null ? null : verification(disk.verifiedWhileFull));
            d.put("tally_died", disk.tallyDied);
            if (disk.tallyDeath != null) d.put("tally_death", disk.tallyDeath);
            d.put("space_back_to_first_ack_ms", disk.recoveredMs);
            d.put("space_back_to_all_transports_acked_ms", disk.allRecoveredMs);
            if (disk.problem != null) d.put("problem", disk.problem);
            md.append(String.format("Filled at +%.0f s with %,d bytes of ballast; full for %.1f s; %d samples acknowledged while full; Tally %s.%n%n",
                    (disk.atMs - start) / 1000.0, disk.ballastBytes, disk.fullForMs / 1000.0, disk.acceptedWhileFull,
                    disk.tallyDied ? "DIED: " + disk.tallyDeath.split("\n")[0] : "stayed up"));
            md.append("Refusals while full (count x status: text):\n\n");
            disk.refusals.forEach((k, l) -> l.forEach(x -> md.append("- ").append(k).append(": ").append(x).append('\n')));
            md.append("\nQuery while full: `").append(disk.queryWhileFull.replace('`', '\'')).append("`\n\n");
            if (disk.verifiedWhileFull != null) {
                md.append(String.format("Acknowledged data of %d users read back while full: %d checked, %d missing.%n%n",
                        disk.verifiedWhileFull.users, disk.verifiedWhileFull.checked, disk.verifiedWhileFull.missing));
                if (disk.verifiedWhileFull.missing > 0) failures.add("samples missing while the disk was full: " + disk.verifiedWhileFull.firstMissing);
            }
            md.append("Space back -> first acknowledged write per transport (ms): ").append(disk.recoveredMs).append("\n");
            if (disk.tallyDied) failures.add("Tally died while the disk was full: " + disk.tallyDeath.split("\n")[0]);
            if (disk.problem != null) failures.add("disk full: " + disk.problem);
            for (List<String> l : disk.refusals.values()) {
                for (String x : l) if (x.contains("HTTP 500") || x.matches("\\d+ x HTTP 5\\d\\d: ?")) failures.add("disk full: an unclear refusal: " + x);
            }
        }
        md.append(String.format("%nDisk used (tmpfs): max %.1f MiB outside the phase, %.1f MiB at the end; WAL at the end %.1f MiB.%n",
                maxDiskUsed / 1048576.0, diskUsedEnd / 1048576.0, walBytes / 1048576.0));
        json.put("disk", d);

        processStats(samples);
        queryStats(reader, timeline);
        writerFailures(timeline);
        json.put("failures", failures);
        md.append("\n### Verdict\n\n").append(failures.isEmpty() ? "PASS\n" : "FAIL:\n");
        for (String f : failures) md.append("- ").append(f.split("\n")[0]).append('\n');
    }

    private void verifyRow(String name, Verifier.Result v) {
        md.append(String.format("| %s | %,d | %,d | **%,d** | %,d | %,d | %,d | %.1f s |%n", name, v.checked, v.found, v.missing, v.unverified,
                v.series, v.users, v.millis / 1000.0));
    }

    private static Map<String, Object> verification(Verifier.Result v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("users", v.users);
        m.put("series", v.series);
        m.put("acked_samples_checked", v.checked);
        m.put("found", v.found);
        m.put("missing", v.missing);
        m.put("unverified", v.unverified);
        m.put("query_errors", v.queryErrors);
        m.put("first_missing", v.firstMissing);
        m.put("seconds", v.millis / 1000.0);
        return m;
    }

    /** Per epoch (process lifetime): the value at a fixed age after start and the maximum. */
    private void processStats(List<ProcessSampler.Sample> samples) {
        long age = Math.min(60_000, cfg.killEveryMs / 2);
        Map<Integer, List<ProcessSampler.Sample>> byEpoch = new TreeMap<>();
        for (ProcessSampler.Sample s : samples) byEpoch.computeIfAbsent(s.epoch(), k -> new ArrayList<>()).add(s);
        List<Object> epochs = new ArrayList<>();
        md.append(String.format("%n### Process (sampled every 10 s; \"at age\" = first sample %d s or more after the start)%n%n", age / 1000));
        md.append("| epoch | samples | RSS at age | RSS max | fds at age | fds max | threads at age | threads max |\n|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<Integer, List<ProcessSampler.Sample>> e : byEpoch.entrySet()) {
            ProcessSampler.Sample at = e.getValue().stream().filter(s -> s.ageMs() >= age).findFirst().orElse(null);
            long rssMax = e.getValue().stream().mapToLong(ProcessSampler.Sample::rssKb).max().orElse(-1);
            int fdMax = e.getValue().stream().mapToInt(ProcessSampler.Sample::fds).max().orElse(-1);
            int thMax = e.getValue().stream().mapToInt(ProcessSampler.Sample::threads).max().orElse(-1);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", e.getKey());
            m.put("samples", e.getValue().size());
            m.put("rss_mib_at_age", at == null ? null : at.rssKb() / 1024);
            m.put("rss_mib_max", rssMax / 1024);
            m.put("fds_at_age", at == null ? null : at.fds());
            m.put("fds_max", fdMax);
            m.put("threads_at_age", at == null ? null : at.threads());
            m.put("threads_max", thMax);
            epochs.add(m);
            md.append(String.format("| %d | %d | %s | %d MiB | %s | %d | %s | %d |%n", e.getKey(), e.getValue().size(),
                    at == null ? "-" : at.rssKb() / 1024 + " MiB", rssMax / 1024, at == null ? "-" : at.fds(), fdMax, at == null ? "-" : at.threads(), thMax));
        }
        json.put("process_age_ms", age);
        json.put("process_epochs", epochs);
        json.put("process_samples", samples);
    }

    private void queryStats(DashboardReader reader, Timeline timeline) {
        List<Long> lat = reader.latenciesUs();
        lat.sort(null);
        List<DashboardReader.Failure> fails = reader.failures();
        List<String> unexpected = new ArrayList<>();
        Map<String, Integer> inWindows = new TreeMap<>();
        for (DashboardReader.Failure f : fails) {
            Timeline.Window w = timeline.windows().stream().filter(x -> f.t() >= x.from() && f.t() <= x.to()).findFirst().orElse(null);
            if (w == null) unexpected.add(f.code() + " " + f.query() + ": " + f.text());
            else inWindows.merge(w.why().replaceAll("\\d+", "N") + ": " + new Outcome(f.code(), f.text(), 0).status() + " "
                    + new Outcome(f.code(), f.text(), 0).kind(), 1, Integer::sum);
        }
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("queries_per_round", reader.queryCount());
        q.put("rounds", reader.rounds);
        q.put("ok", lat.size());
        q.put("failed", fails.size());
        q.put("failed_in_windows", inWindows);
        q.put("failed_outside_restart_and_disk_full_windows", unexpected.size());
        q.put("first_unexpected", unexpected.subList(0, Math.min(10, unexpected.size())));
        q.put("latency_ms", Map.of("p50", pct(lat, 50), "p90", pct(lat, 90), "p99", pct(lat, 99), "max", pct(lat, 100)));
        json.put("dashboard_queries", q);
        md.append(String.format("%n### Dashboard queries%n%n%d rounds of %d requests; %d ok, %d failed (%d outside restart/disk-full windows); latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms.%n",
                reader.rounds, reader.queryCount(), lat.size(), fails.size(), unexpected.size(), pct(lat, 50), pct(lat, 90), pct(lat, 99), pct(lat, 100)));
        inWindows.forEach((k, n) -> md.append("- in a window: ").append(n).append(" x ").append(k).append('\n'));
        for (String u : unexpected.subList(0, Math.min(5, unexpected.size()))) md.append("- outside the windows: ").append(u).append('\n');
        if (!unexpected.isEmpty()) failures.add(unexpected.size() + " dashboard queries failed outside the restart/disk-full windows: " + unexpected.get(0));
    }

    private void writerFailures(Timeline timeline) {
        Map<String, Integer> expected = new TreeMap<>(), unexpected = new TreeMap<>();
        for (Timeline.Failure f : timeline.failures()) {
            String k = f.transport().key() + " " + f.outcome().status() + (f.outcome().rejected() > 0 ? " partial_success" : "")
                    + ": " + f.outcome().kind();
            (timeline.unexpected(f) ? unexpected : expected).merge(k, 1, Integer::sum);
        }
        json.put("write_refusals_in_windows_or_resends", expected);
        json.put("write_refusals_unexpected", unexpected);
        json.put("windows", timeline.windows());
        md.append("\n### Write refusals\n\nIn restart/disk-full windows, or a resend refused with a 4xx (count x transport status: text):\n\n");
        expected.forEach((k, n) -> md.append("- ").append(n).append(" x ").append(k).append('\n'));
        md.append("\nOutside them (each one fails the run):\n\n");
        if (unexpected.isEmpty()) md.append("- none\n");
        unexpected.forEach((k, n) -> md.append("- ").append(n).append(" x ").append(k).append('\n'));
        if (!unexpected.isEmpty()) failures.add(unexpected.values().stream().mapToInt(Integer::intValue).sum() + " write refusals outside the windows: "
                + unexpected.keySet().iterator().next());
    }

    private static double pct(List<Long> sortedUs, int p) {
        if (sortedUs.isEmpty()) return 0;
        int i = Math.min(sortedUs.size() - 1, (int) Math.ceil(p / 100.0 * sortedUs.size()) - 1);
        return round(sortedUs.get(Math.max(0, i)) / 1000.0);
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        try {
            m.put("host", InetAddress.getLocalHost().getHostName());
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    m.put("cpu", line.substring(line.indexOf(':') + 1).trim());
                    break;
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal")) m.put("memory", line.substring(9).trim());
            }
        } catch (IOException ignored) {
            // best effort
        }
        m.put("java", System.getProperty("java.version"));
        return m;
    }

    List<String> failures() {
        return failures;
    }

    String markdown() {
        return md.toString();
    }

    void write(Path out) throws IOException {
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(json));
    }
}
