package tally.storage.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.model.AppendException;
import tally.model.Appender;
import tally.model.Labels;
import tally.storage.StorageOptions;
import tally.storage.store.StoreOptions;

/**
 * Random in-order, out-of-order, too-old and repeated appends against a TreeMap model, through
 * flushes, clean restarts and crashes (WAL replay). Every refusal reason is predicted by the model,
 * and every read must equal it.
 */
class OutOfOrderPropertyTest {
    @TempDir
    Path dir;

    private static final long WINDOW = 30 * 60_000L;
    private static final int SERIES = 6;
    private static final long BASE = 1_000L * 86_400_000L;
    private static final Labels CLOCK = Labels.of("__name__", "clock");

    private final List<TreeMap<Long, Double>> model = new ArrayList<>();
    private final List<TreeMap<Long, Double>> queued = new ArrayList<>();
    private long headMax = Long.MIN_VALUE; // newest committed sample, as the head's clock sees it

    private StorageOptions opts() {
        StoreOptions store = new StoreOptions(StoreOptions.DAY_MILLIS, 100 * 365 * StoreOptions.DAY_MILLIS, 0, 1000, 4000);
        // idle series (newest 20 min behind) leave the head at flushes and come back from the store
        return StorageOptions.defaults(dir).withStore(store).withSamplesPerChunk(16).withFlushIntervalMillis(3_600_000L)
                .withIdleSeriesMillis(20 * 60_000L).withOutOfOrderWindowMillis(WINDOW);
    }

    private static Labels labels(int i) {
        return Labels.of("__name__", "m", "i", Integer.toString(i));
    }

    @Test
    void randomAppendsMatchATreeMapModel() throws Exception {
        for (int i = 0; i < SERIES; i++) {
            model.add(new TreeMap<>());
            queued.add(new TreeMap<>());
        }
        Random r = new Random(20261121);
        HeadRig rig = HeadRig.open(opts());
        Appender a = rig.head.appender();
        int[] outcomes = new int[5];
        long retired = 0;
        for (int step = 0; step < 6000; step++) {
            // the last series is written rarely: it goes idle, leaves the head and comes back
            int i = r.nextInt(40) == 0 ? SERIES - 1 : r.nextInt(SERIES - 1);
            long newest = newest(i);
            long floor = headMax == Long.MIN_VALUE ? Long.MIN_VALUE : headMax - WINDOW;
            long t = pickTime(r, i, newest, floor);
            double v = r.nextInt(4) == 0 ? r.nextDouble() : r.nextInt(100);
            if (r.nextBoolean() && (model.get(i).containsKey(t) || queued.get(i).containsKey(t))) {
                v = existing(i, t); // a resend of the same sample
            }
            Outcome want = predict(i, t, v, newest, floor);
            outcomes[want.ordinal()]++;
            Outcome got;
            try {
                a.append(0, labels(i), t, v);
                got = want == Outcome.NOOP ? Outcome.NOOP : Outcome.ACCEPT; // no-op and accept look alike
            } catch (AppendException e) {
                got = switch (e.reason()) {
                    case TOO_OLD -> Outcome.TOO_OLD;
                    case DUPLICATE -> Outcome.DUPLICATE;
                    case OUT_OF_ORDER -> Outcome.OUT_OF_ORDER;
                    default -> throw e;
                };
            }
            assertEquals(want, got, "step " + step + ": series " + i + " t=" + t + " newest=" + newest + " floor=" + floor);
            if (want == Outcome.ACCEPT) queued.get(i).put(t, v);

            int op = r.nextInt(1000);
            if (op < 80) {
                a.commit();
                commitModel();
            } else if (op < 85) {
                a.rollback();
                for (TreeMap<Long, Double> q : queued) q.clear();
            } else if (op < 95) {
                a.commit();
                commitModel();
                rig.flusher.flush(false);
            } else if (op < 99) {
                a.commit();
                commitModel();
                retired += rig.head.stats().seriesRemoved.sum();
                boolean crash = r.nextBoolean();
                if (crash) rig.crash();
                else rig.close();
                rig = HeadRig.open(opts());
                a = rig.head.appender();
                // the head's clock restarts from what the WAL held: move it to the model's
                a.append(0, CLOCK, headMax + 1, 0);
                a.commit();
                headMax++;
                verifyAll(rig, "after " + (crash ? "a crash" : "a clean restart") + " at step " + step);
            }
            if (step % 500 == 499) verifyAll(rig, "at step " + step);
        }
        a.commit();
        commitModel();
        verifyAll(rig, "at the end");
        retired += rig.head.stats().seriesRemoved.sum();
        rig.close();
        rig = HeadRig.open(opts());
        verifyAll(rig, "after the last restart");
        rig.close();
        System.out.println("out-of-order property test outcomes: " + java.util.Arrays.toString(outcomes) + ", series retired: " + retired);
        if (retired < 5) fail("too few series left the head: " + retired);
        for (Outcome o : Outcome.values()) {
            if (o != Outcome.OUT_OF_ORDER && outcomes[o.ordinal()] < 20) fail("too few " + o + " cases: " + outcomes[o.ordinal()]);
        }
    }

    private enum Outcome { ACCEPT, NOOP, DUPLICATE, TOO_OLD, OUT_OF_ORDER }

    /** Mostly fresh in-order samples (each the newest overall), then out-of-order, too old, and repeats. */
    private long pickTime(Random r, int i, long newest, long floor) {
        int kind = r.nextInt(100);
        long top = Math.max(newest, Math.max(headMax, queuedMax()));
        if (newest == Long.MIN_VALUE || kind < 50) return (top == Long.MIN_VALUE ? BASE : top) + 1 + r.nextInt(90_000);
        if (kind < 80 && floor != Long.MIN_VALUE && newest > floor) return floor + (long) (r.nextDouble() * (newest - floor));
        // A series with nothing inside the window (left the head long ago) takes older samples in
        // order, unchecked against its stored past: keep the model out of that region
        boolean recent = floor == Long.MIN_VALUE || newest >= floor;
        if (kind < 88 && floor != Long.MIN_VALUE && recent) return floor - 1 - r.nextInt((int) WINDOW);
        // a timestamp the series has, mostly inside the window
        long from = floor == Long.MIN_VALUE || (r.nextInt(4) == 0 && recent) ? Long.MIN_VALUE : floor;
        List<Long> known = new ArrayList<>(model.get(i).tailMap(from, true).keySet());
        known.addAll(queued.get(i).keySet());
        return known.isEmpty() ? top + 1 + r.nextInt(90_000) : known.get(r.nextInt(known.size()));
    }

    private Outcome predict(int i, long t, double v, long newest, long floor) {
        boolean exists = model.get(i).containsKey(t) || queued.get(i).containsKey(t);
        boolean same = exists && Double.doubleToRawLongBits(existing(i, t)) == Double.doubleToRawLongBits(v);
        if (t > newest) return Outcome.ACCEPT;
        if (t == newest) return same ? Outcome.NOOP : Outcome.DUPLICATE;
        if (t < floor) return Outcome.TOO_OLD;
        if (exists) return same ? Outcome.NOOP : Outcome.DUPLICATE;
        return Outcome.ACCEPT;
    }

    private double existing(int i, long t) {
        Double q = queued.get(i).get(t);
        return q != null ? q : model.get(i).get(t);
    }

    private long newest(int i) {
        long n = model.get(i).isEmpty() ? Long.MIN_VALUE : model.get(i).lastKey();
        return queued.get(i).isEmpty() ? n : Math.max(n, queued.get(i).lastKey());
    }

    private long queuedMax() {
        long m = Long.MIN_VALUE;
        for (TreeMap<Long, Double> q : queued) if (!q.isEmpty()) m = Math.max(m, q.lastKey());
        return m;
    }

    private void commitModel() {
        for (int i = 0; i < SERIES; i++) {
            TreeMap<Long, Double> q = queued.get(i);
            if (!q.isEmpty()) headMax = Math.max(headMax, q.lastKey());
            model.get(i).putAll(q);
            q.clear();
        }
    }

    private void verifyAll(HeadRig rig, String when) {
        for (int i = 0; i < SERIES; i++) {
            assertEquals(model.get(i), rig.read(labels(i), Long.MIN_VALUE, Long.MAX_VALUE), "series " + i + " " + when);
            TreeMap<Long, Double> m = model.get(i);
            if (m.size() < 10) continue;
            // a window read through overlapping chunks
            long lo = m.firstKey() + (m.lastKey() - m.firstKey()) / 3, hi = lo + (m.lastKey() - m.firstKey()) / 4;
            assertEquals(m.subMap(lo, true, hi, true), rig.read(labels(i), lo, hi), "series " + i + " window " + when);
        }
    }
}
