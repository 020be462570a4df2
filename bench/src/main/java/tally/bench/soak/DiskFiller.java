package tally.bench.soak;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The small disk: a tmpfs the harness mounts for the data directory (root only), and the disk-full phase: a ballast
 * file fills it, the writers' refusals are recorded (status and text per transport), queries and already
 * acknowledged data are checked while it is full, then the ballast goes and the time until each transport is
 * acknowledged again is measured.
 */
final class DiskFiller {
    static final class Phase {
        long atMs;
        long ballastBytes;
        long fullForMs;
        final Map<String, List<String>> refusals = new LinkedHashMap<>(); // transport -> "count x status: text"
        final Map<String, String> examples = new LinkedHashMap<>(); // transport + status -> one full text
        long acceptedWhileFull;
        String queryWhileFull;
        Verifier.Result verifiedWhileFull;
        boolean tallyDied;
        String tallyDeath;
        final Map<String, Long> recoveredMs = new LinkedHashMap<>();
        long allRecoveredMs = -1;
        String problem;
    }

    final Path mountPoint;
    final boolean mounted;
    final String skipped;

    private DiskFiller(Path mountPoint, boolean mounted, String skipped) {
        this.mountPoint = mountPoint;
        this.mounted = mounted;
        this.skipped = skipped;
    }

    static DiskFiller mount(Path dir, int mb) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        if (!"root".equals(System.getProperty("user.name"))) return new DiskFiller(dir, false, "not root: no tmpfs, disk-full phase skipped");
        int rc = run("mount", "-t", "tmpfs", "-o", "size=" + mb + "m", "tmpfs", dir.toString());
        if (rc != 0) return new DiskFiller(dir, false, "mount -t tmpfs failed (exit " + rc + "): disk-full phase skipped");
        return new DiskFiller(dir, true, null);
    }

    void unmount() {
        if (!mounted) return;
        try {
            if (run("umount", mountPoint.toString()) != 0) run("umount", "-l", mountPoint.toString());
        } catch (Exception e) {
            System.err.println("soak: umount " + mountPoint + " failed: " + e);
        }
    }

    static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    long usedBytes() throws IOException {
        var store = Files.getFileStore(mountPoint);
        return store.getTotalSpace() - store.getUsableSpace();
    }

    Phase fill(long holdMs, TallyProcess tally, Timeline timeline, Ledger ledger, Killer killer, Verifier verifier,
               List<SoakUser> sample, long rangeMs, List<Killer.Restart> restarts) throws Exception {
        Phase ph = new Phase();
        Path ballast = mountPoint.resolve("ballast");
        long t0 = System.currentTimeMillis();
        ph.atMs = t0;
        byte[] mb = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(ballast)) {
            while (true) {
                out.write(mb);
                ph.ballastBytes += mb.length;
            }
        } catch (IOException full) {
            // ENOSPC: the filesystem is full
        }
        long ackedAtFull = ledger.total();
        long holdEnd = System.currentTimeMillis() + holdMs;
        Thread.sleep(Math.min(holdMs / 2, 20_000));
        HttpProbe q = HttpProbe.get(tally.url("/api/v1/query?query=" + DashboardReader.enc("count({__name__=~\"claude_code_.+\"})")));
        ph.queryWhileFull = q.code() + " " + (q.body().length() > 200 ? q.body().substring(0, 200) : q.body());
        if (tally.alive()) ph.verifiedWhileFull = verifier.check(sample, rangeMs);
        while (System.currentTimeMillis() < holdEnd && tally.alive()) Thread.sleep(200);
        ph.acceptedWhileFull = ledger.total() - ackedAtFull;
        if (!tally.alive()) {
            ph.tallyDied = true;
            ph.tallyDeath = "exit code " + tally.exitCode() + "; log tail:\n" + Killer.tail(tally.logSinceStart());
        }
        long t1 = System.currentTimeMillis();
        ph.fullForMs = t1 - t0;
        Map<String, Map<String, Integer>> byTransport = new LinkedHashMap<>();
        for (Timeline.Failure f : timeline.failures()) {
            if (f.t() < t0 || f.t() > t1) continue;
            byTransport.computeIfAbsent(f.transport().key(), k -> new LinkedHashMap<>())
                    .merge(f.outcome().status() + ": " + f.outcome().kind(), 1, Integer::sum);
            ph.examples.putIfAbsent(f.transport().key() + " " + f.outcome().status(), f.outcome().text());
        }
        byTransport.forEach((k, m) -> {
            List<String> l = new ArrayList<>();
            m.forEach((text, n) -> l.add(n + " x " + text));
            ph.refusals.put(k, l);
        });
        Files.delete(ballast);
        long freed = System.currentTimeMillis();
        timeline.mark(freed);
        if (ph.tallyDied) {
            restarts.add(killer.killAndRestart("Tally died while the disk was full; restarted after space returned", false));
        }
        Killer.awaitAcks(freed, ph.recoveredMs, 120_000, timeline);
        if (ph.recoveredMs.size() == Transport.values().length) {
            ph.allRecoveredMs = ph.recoveredMs.values().stream().mapToLong(Long::longValue).max().orElse(-1);
        } else {
            ph.problem = "writes not accepted again within 120 s after the space returned: " + ph.recoveredMs;
            Killer.Restart r = killer.killAndRestart("writes still refused 120 s after the disk-full phase: killed and restarted", true);
            restarts.add(r);
        }
        timeline.window("disk full", t0, System.currentTimeMillis() + 2_000);
        return ph;
    }
}
