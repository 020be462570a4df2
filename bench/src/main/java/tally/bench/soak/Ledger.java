package tally.bench.soak;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What Tally acknowledged, per series: the only truth the final check compares against. A sample enters only
 * after the request carrying it got a 2xx without an OTLP partial_success rejection; nothing acknowledged is
 * ever sent again, so a lost sample cannot be papered over by a resend.
 */
final class Ledger {
    /** How a series is checked: exact values; delta points (Tally accumulates them); event counts. */
    enum Kind { EXACT, DELTA, EVENTS }

    /** One series in Prometheus's view: the labels the stored series must carry, and its acknowledged samples. */
    static final class Series {
        final String user;
        final String[] labels; // name, value pairs, __name__ first
        final Kind kind;
        private long[] ts = new long[4];
        private double[] vals = new double[4];
        private int n;

        Series(String user, Kind kind, String... labels) {
            this.user = user;
            this.kind = kind;
            this.labels = labels;
        }

        String name() {
            return labels[1];
        }

        /** For EVENTS series a sample is (time of the export, number of events it carried). */
        synchronized void ack(long t, double v) {
            if (n == ts.length) {
                ts = Arrays.copyOf(ts, n * 2);
                vals = Arrays.copyOf(vals, n * 2);
            }
            ts[n] = t;
            vals[n++] = v;
        }

        synchronized long[] times() {
            return Arrays.copyOf(ts, n);
        }

        synchronized double[] values() {
            return Arrays.copyOf(vals, n);
        }

        synchronized int size() {
            return n;
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(labels[1]).append('{');
            for (int i = 2; i < labels.length; i += 2) b.append(i > 2 ? "," : "").append(labels[i]).append("=\"").append(labels[i + 1]).append('"');
            return b.append('}').toString();
        }
    }

    private final Map<String, List<Series>> byUser = new ConcurrentHashMap<>();
    final Map<Transport, AtomicLong> ackedSamples = new ConcurrentHashMap<>();
    final Map<Transport, AtomicLong> ackedRequests = new ConcurrentHashMap<>();

    Ledger() {
        for (Transport t : Transport.values()) {
            ackedSamples.put(t, new AtomicLong());
            ackedRequests.put(t, new AtomicLong());
        }
    }

    Series series(String user, Kind kind, String... labels) {
        Series s = new Series(user, kind, labels);
        List<Series> l = byUser.computeIfAbsent(user, u -> new ArrayList<>());
        synchronized (l) {
            l.add(s);
        }
        return s;
    }

    /** The user's series (a copy of the list; the series themselves are live). */
    List<Series> of(String user) {
        List<Series> l = byUser.get(user);
        if (l == null) return List.of();
        synchronized (l) {
            return new ArrayList<>(l);
        }
    }

    long total() {
        return ackedSamples.values().stream().mapToLong(AtomicLong::get).sum();
    }
}
