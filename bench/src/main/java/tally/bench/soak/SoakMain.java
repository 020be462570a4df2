package tally.bench.soak;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Soak and chaos (issue 13): mixed OTLP + remote-write ingest at twice the Claude Code benchmark rate plus a
 * dashboard reader, SIGKILLs at a fixed interval, a disk that fills up once; then every acknowledged sample
 * is read back. Loopback only; it stops what it started by PID and unmounts its tmpfs, also on Ctrl-C.
 * Run through bench/soak.sh.
 */
public final class SoakMain {
    public static void main(String[] args) throws Exception {
        SoakConfig cfg;
        try {
            cfg = SoakConfig.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("soak: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(new SoakMain().run(cfg));
    }

    private volatile boolean finished;

    int run(SoakConfig cfg) throws Exception {
        // a connection Tally's SIGKILL resets is expected; Netty would log each one with a stack trace
        java.util.logging.Logger.getLogger("io.netty").setLevel(java.util.logging.Level.SEVERE);
        Path repo = cfg.repo.toAbsolutePath().normalize();
        Path work = cfg.work.toAbsolutePath();
        Files.createDirectories(work);
        Path log = work.resolve("tally.log");
        Files.deleteIfExists(log);
        DiskFiller disk = DiskFiller.mount(work.resolve("disk"), cfg.diskMb);
        Path data = disk.mountPoint.resolve("data");
        deleteTree(data);
        TallyProcess tally = new TallyProcess(repo, data, log);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (finished) return;
            System.err.println("soak: interrupted: killing Tally (pid " + tally.pid() + ") and unmounting " + disk.mountPoint);
            try {
                tally.kill();
            } catch (InterruptedException ignored) {
                // exiting anyway
            }
            disk.unmount();
        }));
        try {
            return soak(cfg, repo, work, disk, tally);
        } finally {
            tally.stop();
            disk.unmount();
            finished = true;
        }
    }

    private int soak(SoakConfig cfg, Path repo, Path work, DiskFiller disk, TallyProcess tally) throws Exception {
        Ledger ledger = new Ledger();
        Timeline timeline = new Timeline();
        Map<Transport, List<SoakUser>> users = new EnumMap<>(Transport.class);
        List<SoakUser> all = new ArrayList<>();
        int index = 0;
        Transport[] ts = Transport.values();
        for (int i = 0; i < ts.length; i++) {
            int n = i == ts.length - 1 ? cfg.users - all.size() : (int) Math.round(cfg.users * cfg.shares[i]);
            List<SoakUser> l = new ArrayList<>();
            for (int j = 0; j < n; j++) l.add(new SoakUser(ts[i], index++, cfg.seed, cfg.exportIntervalMs, ledger));
            users.put(ts[i], l);
            all.addAll(l);
        }
        SoakReport report = new SoakReport(cfg, users);
        System.out.println(report.rateDefinition());
        System.out.println("tally: web 127.0.0.1:" + tally.webPort + ", OTLP/HTTP :" + tally.otlpPort + ", OTLP/gRPC :" + tally.grpcPort
                + ", data " + disk.mountPoint.resolve("data") + (disk.mounted ? " (tmpfs " + cfg.diskMb + " MiB)" : " (" + disk.skipped + ")"));

        ProcessSampler sampler = new ProcessSampler(tally);
        sampler.start();
        Killer killer = new Killer(tally, timeline, sampler);
        killer.start();
        Verifier verifier = new Verifier(tally, ledger);
        long start = System.currentTimeMillis();
        long end = start + cfg.durationMs;
        List<Writer> writers = new ArrayList<>();
        for (Transport t : ts) {
            Writer w = new Writer(t, users.get(t), Sender.of(t, tally.webPort, tally.otlpPort, tally.grpcPort), timeline, ledger,
                    cfg.exportIntervalMs, start);
            writers.add(w);
            w.start();
        }
        DashboardReader reader = new DashboardReader(tally, repo.resolve("grafana/dashboards/claude-code-usage.json"), cfg.queryEveryMs);
        reader.start();

        List<Killer.Restart> restarts = new ArrayList<>();
        DiskFiller.Phase diskPhase = null;
        long diskAt = cfg.diskAt >= 0 && disk.mounted ? start + (long) (cfg.durationMs * cfg.diskAt) : Long.MAX_VALUE;
        long nextKill = start + cfg.killEveryMs;
        long maxDiskUsed = 0;
        long nextPrint = start + 60_000;
        while (System.currentTimeMillis() < end) {
            long now = System.currentTimeMillis();
            if (disk.mounted) maxDiskUsed = Math.max(maxDiskUsed, disk.usedBytes());
            if (!tally.alive()) {
                String why = "Tally exited on its own (exit " + tally.exitCode() + "): " + Killer.tail(tally.logSinceStart());
                System.out.println("soak: " + why);
                restarts.add(killer.killAndRestart(why, false));
            } else if (now >= diskAt && diskPhase == null) {
                System.out.println("soak: filling the disk at +" + (now - start) / 1000 + " s");
                diskPhase = disk.fill(cfg.diskHoldMs, tally, timeline, ledger, killer, verifier, sample(users, 10), cfg.durationMs + 600_000, restarts);
                System.out.println("soak: disk full for " + diskPhase.fullForMs / 1000 + " s; writes accepted again after " + diskPhase.allRecoveredMs + " ms");
                nextKill = Math.max(nextKill, System.currentTimeMillis() + 30_000);
            } else if (now >= nextKill && end - now > 60_000) {
                Killer.Restart r = killer.killAndRestart("SIGKILL at +" + (now - start) / 1000 + " s", true);
                restarts.add(r);
                System.out.println("soak: " + r.why + ": ready after " + r.readyMs + " ms, all transports acknowledged after " + r.allAckedMs
                        + " ms" + (r.problem == null ? "" : " PROBLEM: " + r.problem));
                nextKill += cfg.killEveryMs;
            } else if (now >= nextPrint) {
                System.out.println("soak: +" + (now - start) / 1000 + " s, acknowledged samples " + ledger.total() + ", refused/unanswered "
                        + timeline.failures().size());
                nextPrint += 60_000;
            } else {
                Thread.sleep(200);
            }
        }
        for (Writer w : writers) w.stopGenerating();
        long drainEnd = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < drainEnd && writers.stream().mapToInt(Writer::queued).sum() > 0) Thread.sleep(100);
        long stopped = System.currentTimeMillis();
        for (Writer w : writers) w.shutdown();
        for (Writer w : writers) w.join(30_000);
        reader.shutdown();
        reader.join(60_000);
        long unsent = writers.stream().mapToInt(Writer::queued).sum();

        System.out.println("soak: verifying " + ledger.total() + " acknowledged samples...");
        long rangeMs = System.currentTimeMillis() - start + 600_000;
        Verifier.Result verified = verifier.check(all, rangeMs);
        double walBytes = tally.metric("tally_wal_size_bytes");
        long diskUsed = disk.mounted ? disk.usedBytes() : -1;
        System.out.println("soak: a last SIGKILL, then the same check over the restarted process...");
        Killer.Restart lastKill = killer.killAndRestartQuiet();
        Verifier.Result afterKill = verifier.check(all, rangeMs + 120_000);

        report.finish(start, stopped, ledger, timeline, restarts, lastKill, diskPhase, disk, maxDiskUsed, diskUsed, walBytes,
                sampler.samples(), reader, verified, afterKill, unsent, writers);
        report.write(cfg.out);
        System.out.println(report.markdown());
        System.out.println("JSON: " + cfg.out);
        return report.failures().isEmpty() ? 0 : 1;
    }

    private static List<SoakUser> sample(Map<Transport, List<SoakUser>> users, int perTransport) {
        List<SoakUser> out = new ArrayList<>();
        for (List<SoakUser> l : users.values()) out.addAll(l.subList(0, Math.min(perTransport, l.size())));
        return out;
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        if (!Files.exists(p)) return;
        try (var s = Files.walk(p)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
        }
    }
}
