package tally.bench.soak;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SIGKILLs Tally by its PID while the writers keep sending, starts it again on the same data and ports, and times
 * the recovery: kill to /-/ready answering 200, kill to the first acknowledged write of each transport.
 */
final class Killer {
    static final class Restart {
        String why;
        long atMs;
        double walBytesBeforeKill = Double.NaN;
        long readyMs = -1;
        final Map<String, Long> firstAckMs = new LinkedHashMap<>();
        long allAckedMs = -1;
        String walReplay = "";
        String problem;
    }

    private final TallyProcess tally;
    private final Timeline timeline;
    private final ProcessSampler sampler;
    private int epoch;

    Killer(TallyProcess tally, Timeline timeline, ProcessSampler sampler) {
        this.tally = tally;
        this.timeline = timeline;
        this.sampler = sampler;
    }

    /** First start (epoch 0). */
    void start() throws Exception {
        tally.start();
        sampler.newEpoch(epoch, System.currentTimeMillis(), tally.pid());
        if (!tally.awaitReady(180_000)) throw new IllegalStateException("Tally did not become ready; see its log:\n" + tail(tally.logSinceStart()));
    }

    /** Kills (unless it already died: {@code why} says so) and restarts; blocks until every transport wrote again. */
    Restart killAndRestart(String why, boolean kill) throws Exception {
        Restart r = new Restart();
        r.why = why;
        if (kill) r.walBytesBeforeKill = tally.metric("tally_wal_size_bytes");
        long t0 = System.currentTimeMillis();
        r.atMs = t0;
        timeline.mark(t0);
        if (kill) tally.kill();
        tally.start();
        sampler.newEpoch(++epoch, System.currentTimeMillis(), tally.pid());
        if (!tally.awaitReady(180_000)) {
            r.problem = "not ready within 180 s (alive: " + tally.alive() + "); log tail: " + tail(tally.logSinceStart());
            timeline.window("restart " + epoch + " (failed)", t0, System.currentTimeMillis());
            return r;
        }
        r.readyMs = System.currentTimeMillis() - t0;
        r.walReplay = tally.replayLine();
        awaitAcks(t0, r.firstAckMs, 120_000);
        long last = r.firstAckMs.values().stream().mapToLong(Long::longValue).max().orElse(-1);
        r.allAckedMs = r.firstAckMs.size() == Transport.values().length ? last : -1;
        if (r.allAckedMs < 0) r.problem = "not every transport wrote again within 120 s after ready";
        // refusals until every transport is acknowledged again, plus 2 s for answers in flight, are the restart's
        timeline.window("restart " + epoch, t0, System.currentTimeMillis() + 2_000);
        return r;
    }

    /** SIGKILL and restart with the writers stopped: only the time to ready and the replay are recorded. */
    Restart killAndRestartQuiet() throws Exception {
        Restart r = new Restart();
        r.why = "final SIGKILL after the writers stopped";
        r.walBytesBeforeKill = tally.metric("tally_wal_size_bytes");
        long t0 = System.currentTimeMillis();
        r.atMs = t0;
        tally.kill();
        tally.start();
        sampler.newEpoch(++epoch, System.currentTimeMillis(), tally.pid());
        if (!tally.awaitReady(180_000)) {
            r.problem = "not ready within 180 s; log tail: " + tail(tally.logSinceStart());
            return r;
        }
        r.readyMs = System.currentTimeMillis() - t0;
        r.walReplay = tally.replayLine();
        return r;
    }

    /** Fills {@code out} with ms from t0 to the first acknowledgement per transport; waits up to timeoutMs. */
    static void awaitAcks(long t0, Map<String, Long> out, long timeoutMs, Timeline timeline) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < end) {
            boolean all = true;
            for (Transport t : Transport.values()) {
                long a = timeline.firstAck(t);
                if (a > 0) out.putIfAbsent(t.key(), a - t0);
                else all = false;
            }
            if (all) return;
            Thread.sleep(50);
        }
    }

    private void awaitAcks(long t0, Map<String, Long> out, long timeoutMs) throws InterruptedException {
        awaitAcks(t0, out, timeoutMs, timeline);
    }

    int epoch() {
        return epoch;
    }

    static String tail(String log) {
        String[] lines = log.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 15), lines.length));
    }
}
