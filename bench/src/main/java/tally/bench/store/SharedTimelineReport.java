package tally.bench.store;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import tally.bench.codec.Series;
import tally.bench.codec.Workloads;
import tally.bench.codec.Workloads.SessionSeries;
import tally.model.Labels;
import tally.model.MatchType;
import tally.model.Matcher;
import tally.storage.chunk.ChunkEncodings;
import tally.storage.chunk.ChunkIterator;
import tally.storage.chunk.ChunkTimestamps;
import tally.storage.store.ChunkCursor;
import tally.storage.store.ChunkStore;
import tally.storage.store.StoreOptions;
import tally.storage.store.StoreReader;
import tally.storage.store.StoredSeries;

/**
 * Shared timelines on whole Claude Code sessions (workload (a), both temporalities, chunks cut at 120):
 * <ol>
 * <li>bytes/sample of the chunks as the head seals them, split into header / timestamps / values;</li>
 * <li>the same chunks written to a real store and sealed with and without sharing: chunks.bin + timelines.bin
 *     (the codec figure) and index.bin (the disk figure), per sample;</li>
 * <li>reading every sample back through the store (StoreReader cursors + ChunkIterator): thread-CPU ns/sample
 *     (minimum over repetitions) and bytes allocated per sample (exact);</li>
 * <li>the codec alone, in memory: decode of the self-contained chunks vs resolve + decode of external ones with
 *     one timeline per session.</li>
 * </ol>
 * Run: java -cp bench/target/benchmarks.jar tally.bench.store.SharedTimelineReport [samples=400000]
 */
public final class SharedTimelineReport {
    private static final String PROPERTY = "tally.seal.sharedTimelines";
    private static final int REPS = 40;
    /** Wall time of the last {@link #sealedStore} seal (background threads: no CPU clock for it). */
    private static double lastSealMillis;
    private static final com.sun.management.ThreadMXBean MX = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private SharedTimelineReport() {}

    public static void main(String[] args) throws Exception {
        long total = args.length > 0 ? Long.parseLong(args[0]) : 400_000;
        for (boolean cumulative : new boolean[] {false, true}) {
            List<SessionSeries> data = Workloads.claudeSessionSeries(120, total, cumulative, 42);
            System.out.println("## whole sessions, " + (cumulative ? "cumulative" : "delta (default)") + " temporality, cut 120");
            long samples = selfContained(data);
            Sealed off = seal(data, false);
            Sealed on = seal(data, true);
            System.out.printf("sealed store, no sharing:  chunks.bin %.3f B/sample, index.bin %.3f, disk total %.3f%n",
                (double) off.chunkFile / samples, (double) off.index / samples, (double) off.total() / samples);
            System.out.printf("sealed store, sharing:     chunks.bin %.3f + timelines.bin %.3f = %.3f B/sample, index.bin %.3f, disk total %.3f%n",
                (double) on.chunkFile / samples, (double) on.timelines / samples, (double) (on.chunkFile + on.timelines) / samples,
                (double) on.index / samples, (double) on.total() / samples);
            System.out.printf("read back through the store: no sharing %.2f ns/sample, %.2f B/sample allocated; sharing %.2f ns/sample, %.2f B/sample (checksums %s %s)%n",
                off.readNs, off.readAlloc, on.readNs, on.readAlloc, Double.toHexString(off.checksum), Double.toHexString(on.checksum));
            inMemory(data);
            System.out.println();
        }
    }

    /** Bytes of the head's sealed chunks split into header, timestamp section and value section; returns samples. */
    private static long selfContained(List<SessionSeries> data) {
        long samples = 0, chunks = 0, bytes = 0, header = 0, values = 0;
        ChunkTimestamps ts = new ChunkTimestamps();
        for (SessionSeries s : data) {
            for (Series c : s.chunks()) {
                byte[] b = ChunkEncodings.encode(c.t, c.v, c.size(), 0, 0);
                int n = ts.read(b, 0, b.length);
                samples += n;
                chunks++;
                bytes += b.length;
                values += ts.valueBytes();
                header += 1 + varintSize(n) + varintSize(zigzag(c.t[0])) + varintSize(c.t[n - 1] - c.t[0]);
            }
        }
        System.out.printf("%d series, %d chunks, %d samples (%.1f samples/chunk)%n", data.size(), chunks, samples, (double) samples / chunks);
        System.out.printf("self-contained chunks:     %.3f B/sample = header %.3f + timestamps %.3f + values %.3f%n",
            (double) bytes / samples, (double) header / samples, (double) (bytes - header - values) / samples, (double) values / samples);
        System.out.printf("                           values %.3f, so sharing leaves header + timestamps of %.3f to save%n",
            (double) values / samples, (double) (bytes - values) / samples);
        return samples;
    }

    private record Sealed(long chunkFile, long timelines, long index, double readNs, double readAlloc, double checksum) {
        long total() { return chunkFile + timelines + index; }
    }

    private static Sealed seal(List<SessionSeries> data, boolean share) throws Exception {
        System.setProperty(PROPERTY, Boolean.toString(share));
        Path dir = Files.createTempDirectory("tally-shared-timelines");
        try {
            try (ChunkStore store = sealedStore(dir, data)) {
                long[] read = readAll(store);
                System.out.printf("sealing (%s sharing): %.0f ms wall%n", share ? "with" : "without", lastSealMillis);
                return new Sealed(size(dir, "chunks.bin"), size(dir, "timelines.bin"), size(dir, "index.bin"),
                    Double.longBitsToDouble(read[0]), Double.longBitsToDouble(read[1]), Double.longBitsToDouble(read[2]));
            }
        } finally {
            System.clearProperty(PROPERTY);
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    /** A store in dir holding the sessions' chunks, every partition sealed (with sharing unless the property says false). */
    static ChunkStore sealedStore(Path dir, List<SessionSeries> data) throws java.io.IOException {
        StoreOptions opts = new StoreOptions(StoreOptions.DAY_MILLIS, 3650 * StoreOptions.DAY_MILLIS, 0, 2L * data.size() + 1000,
            4L * data.size() + 1000);
        ChunkStore store = ChunkStore.open(dir, opts);
        long id = 0;
        for (SessionSeries s : data) {
            Labels l = Labels.of("__name__", s.kind().replace('.', '_'), "session_id", "s" + s.session(), "i", "" + s.index());
            for (Series c : s.chunks()) {
                store.write(id, l, ChunkEncodings.encode(c.t, c.v, c.size(), 0, 0), c.t[0], c.t[c.size() - 1]);
            }
            id++;
        }
        long t0 = System.nanoTime();
        store.sealPartitionsEndingBefore(Long.MAX_VALUE);
        lastSealMillis = (System.nanoTime() - t0) / 1e6;
        return store;
    }

    /** {ns/sample, B/sample allocated, checksum} of reading every sample, as double bits; the best of REPS. */
    private static long[] readAll(ChunkStore store) {
        ChunkIterator it = new ChunkIterator();
        long bestCpu = Long.MAX_VALUE, bestAlloc = Long.MAX_VALUE, samples = 0;
        double checksum = 0;
        try (StoreReader r = store.reader(Long.MIN_VALUE, Long.MAX_VALUE)) {
            List<StoredSeries> all = r.select(List.of(Matcher.of(MatchType.REGEX, "__name__", ".+")), false);
            for (int rep = 0; rep < REPS; rep++) {
                long a0 = MX.getCurrentThreadAllocatedBytes();
                long c0 = MX.getCurrentThreadCpuTime();
                long n = 0;
                double sum = 0;
                for (StoredSeries s : all) {
                    ChunkCursor c = s.chunks(Long.MIN_VALUE, Long.MAX_VALUE);
                    while (c.next()) {
                        it.reset(c.array(), c.offset(), c.length());
                        while (it.next()) {
                            sum += it.atT() + it.atV();
                            n++;
                        }
                    }
                }
                bestCpu = Math.min(bestCpu, MX.getCurrentThreadCpuTime() - c0);
                bestAlloc = Math.min(bestAlloc, MX.getCurrentThreadAllocatedBytes() - a0);
                samples = n;
                checksum = sum;
            }
        }
        return new long[] {Double.doubleToLongBits((double) bestCpu / samples), Double.doubleToLongBits((double) bestAlloc / samples),
            Double.doubleToLongBits(checksum)};
    }

    /**
     * The codec alone: one timeline per session (the union of its series' instants), every chunk external when
     * smaller. Sizes (the ideal grouping, against which the store's planner can be judged) and decode cost.
     */
    private static void inMemory(List<SessionSeries> data) {
        List<byte[]> plain = new ArrayList<>();
        List<byte[]> shared = new ArrayList<>();
        List<long[]> timelineOf = new ArrayList<>();
        long samples = 0, sharedBytes = 0, timelineBytes = 0;
        ChunkTimestamps ts = new ChunkTimestamps();
        int timelineId = 0;
        for (int from = 0; from < data.size(); ) {
            int to = from;
            while (to < data.size() && data.get(to).session() == data.get(from).session()) to++;
            long[] timeline = sessionTimeline(data.subList(from, to));
            byte[] enc = ChunkTimestamps.encodeTimeline(timeline, timeline.length);
            timelineBytes += enc.length + varintSize(enc.length);
            for (SessionSeries s : data.subList(from, to)) {
                for (Series c : s.chunks()) {
                    byte[] b = ChunkEncodings.encode(c.t, c.v, c.size(), 0, 0);
                    int n = ts.read(b, 0, b.length);
                    int[] slots = new int[n];
                    for (int i = 0; i < n; i++) slots[i] = Arrays.binarySearch(timeline, c.t[i]);
                    byte[] ext = ts.externalSize(timelineId, slots) < b.length ? ts.toExternal(timelineId, slots) : b;
                    plain.add(b);
                    shared.add(ext);
                    timelineOf.add(timeline);
                    sharedBytes += ext.length;
                    samples += n;
                }
            }
            timelineId++;
            from = to;
        }
        System.out.printf("codec alone, one timeline per session: chunks %.3f + timelines %.3f = %.3f B/sample%n",
            (double) sharedBytes / samples, (double) timelineBytes / samples, (double) (sharedBytes + timelineBytes) / samples);
        ChunkIterator it = new ChunkIterator();
        byte[] buf = new byte[4096];
        long bestPlain = Long.MAX_VALUE, bestShared = Long.MAX_VALUE, allocPlain = Long.MAX_VALUE, allocShared = Long.MAX_VALUE;
        double sumPlain = 0, sumShared = 0;
        for (int rep = 0; rep < 3 * REPS; rep++) {
            long a0 = MX.getCurrentThreadAllocatedBytes();
            long c0 = MX.getCurrentThreadCpuTime();
            double sum = 0;
            for (byte[] b : plain) {
                it.reset(b, 0, b.length);
                while (it.next()) sum += it.atT() + it.atV();
            }
            bestPlain = Math.min(bestPlain, MX.getCurrentThreadCpuTime() - c0);
            allocPlain = Math.min(allocPlain, MX.getCurrentThreadAllocatedBytes() - a0);
            sumPlain = sum;
            a0 = MX.getCurrentThreadAllocatedBytes();
            c0 = MX.getCurrentThreadCpuTime();
            sum = 0;
            for (int k = 0; k < shared.size(); k++) {
                byte[] b = shared.get(k);
                if (ChunkTimestamps.isExternal(b, 0, b.length)) {
                    int need = ChunkTimestamps.resolvedMaxLength(b, 0, b.length);
                    if (buf.length < need) buf = new byte[need];
                    int len = ChunkTimestamps.resolve(b, 0, b.length, timelineOf.get(k), buf);
                    it.reset(buf, 0, len);
                } else {
                    it.reset(b, 0, b.length);
                }
                while (it.next()) sum += it.atT() + it.atV();
            }
            bestShared = Math.min(bestShared, MX.getCurrentThreadCpuTime() - c0);
            allocShared = Math.min(allocShared, MX.getCurrentThreadAllocatedBytes() - a0);
            sumShared = sum;
        }
        System.out.printf("codec alone, decode: self-contained %.2f ns/sample (%.3f B/sample allocated), resolve + decode %.2f ns/sample (%.3f B/sample)%s%n",
            (double) bestPlain / samples, (double) allocPlain / samples, (double) bestShared / samples, (double) allocShared / samples,
            sumPlain == sumShared ? "" : " CHECKSUM MISMATCH");
    }

    private static long[] sessionTimeline(List<SessionSeries> session) {
        java.util.TreeSet<Long> all = new java.util.TreeSet<>();
        for (SessionSeries s : session) {
            for (Series c : s.chunks()) {
                for (long t : c.t) all.add(t);
            }
        }
        long[] out = new long[all.size()];
        int i = 0;
        for (long t : all) out[i++] = t;
        return out;
    }

    private static long size(Path dir, String name) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            long total = 0;
            for (Path p : s.filter(f -> f.getFileName().toString().equals(name)).toList()) total += Files.size(p);
            return total;
        }
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static int varintSize(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }
}
