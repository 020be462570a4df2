package tally.bench.ingest;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import tally.bench.JvmFlags;
import tally.server.events.ClaudeCodeEvents;
import tally.server.ingest.LabelLimits;
import tally.server.ingest.MetadataRecorder;
import tally.server.metrics.MetricsRegistry;
import tally.server.metrics.ServerMetrics;
import tally.server.otlp.LabelNamer;
import tally.server.ingest.IngestOutcome;
import tally.server.otlp.TranslationSettings;
import tally.server.otlp.delta.DeltaAccumulator;
import tally.server.otlp.delta.SeriesHistory;
import tally.server.otlp.logs.OtlpLogsIngest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Claude Code's event exports (OTLP logs, protobuf) -> decode -> dedup by (session.id, event.sequence) -> derived
 * counters and histograms -> a counting appender, on one thread. The exports are the recorded ones in
 * {@code ../shared/reference/claude-code-otlp} (two sessions, 21 exports, 96 events), replayed round after round as
 * new sessions later in time: each round rewrites, in place, every session id and record time of the serialized
 * exports (same byte lengths), so every event is new to the dedup and every series moves forward. One operation is
 * one round; events per round are printed at setup: events/s = that / score, bytes per event = gc.alloc.rate.norm / it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.ADD_OPENS_1, JvmFlags.ADD_OPENS_2, JvmFlags.ADD_EXPORTS_1, JvmFlags.ADD_EXPORTS_2,
        JvmFlags.NO_ANALYTICS, "-Xmx1g"})
public class EventsIngestBenchmark {
    private static final String SESSION_MARK = "sess~~~~-~~~~-~~~~-~~~~-";
    private static final long TIME_MARK = 0x7A11_0000_0000_0000L;
    private static final long BASE_MS = 1_800_000_000_000L;

    /** The recorded captures, relative to the directory the benchmark runs in (the checkout). */
    @Param("../shared/reference/claude-code-otlp")
    public String captures;

    private Export[] exports;
    private int events;
    private long roundSpanMs;
    private long round;
    private Path dataDir;
    private ClaudeCodeEvents derived;
    private OtlpLogsIngest ingest;
    private CountingStorage storage;

    /** One serialized export and where its session ids and record times sit in it. */
    private record Export(byte[] bytes, int[] sessionAt, int[] sessionOf, int[] timeAt, long[] timeMs) {}

    @Setup(Level.Trial)
    public void setup() throws IOException {
        // the captures back to back on one timeline, each keeping its own spacing
        long offset = 0;
        Map<String, Integer> sessions = new LinkedHashMap<>();
        List<Export> built = new ArrayList<>();
        for (String name : new String[] {"protobuf-default", "protobuf-cumulative"}) {
            List<ExportLogsServiceRequest> capture = read(Path.of(captures, name, "raw"));
            long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
            for (ExportLogsServiceRequest r : capture) {
                for (LogRecord rec : records(r)) {
                    min = Math.min(min, rec.getTimeUnixNano() / 1_000_000);
                    max = Math.max(max, rec.getTimeUnixNano() / 1_000_000);
                }
            }
            for (ExportLogsServiceRequest r : capture) built.add(marked(r, sessions, offset - min));
            offset += max - min + 1_000;
        }
        exports = built.toArray(new Export[0]);
        roundSpanMs = offset;
        for (Export e : exports) events += e.timeAt.length;
        System.out.println("\nevents per round (one operation): " + events + " in " + exports.length + " exports, "
                + sessions.size() + " sessions");

        storage = new CountingStorage();
        dataDir = Files.createTempDirectory("tally-events-bench");
        DeltaAccumulator delta = new DeltaAccumulator(SeriesHistory.NONE, 10_000_000, 3_600_000, 86_400_000, System::currentTimeMillis, false);
        MetricsRegistry registry = new MetricsRegistry();
        derived = ClaudeCodeEvents.open(dataDir, 86_400_000L, false, storage, SeriesHistory.NONE, delta, new MetadataRecorder(storage),
                LabelLimits.NONE, new LabelNamer(), registry, System::currentTimeMillis);
        ingest = new OtlpLogsIngest(derived, TranslationSettings.DEFAULTS, new LabelNamer(), new ServerMetrics(registry),
                System::currentTimeMillis);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        // a check that the rounds were counted, not deduplicated away: derived samples appended per round
        System.out.printf("%n%d rounds, %.1f derived samples appended per round%n", round, (double) storage.samples / round);
        derived.close();
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    @Benchmark
    public long round() {
        long r = round++;
        long shift = BASE_MS + r * roundSpanMs;
        long accepted = 0;
        for (Export e : exports) {
            for (int i = 0; i < e.sessionAt.length; i++) writeHex(e.bytes, e.sessionAt[i] + SESSION_MARK.length(), r * 64 + e.sessionOf[i]);
            for (int i = 0; i < e.timeAt.length; i++) writeFixed64(e.bytes, e.timeAt[i], (shift + e.timeMs[i]) * 1_000_000L);
            IngestOutcome outcome = ingest.export(e.bytes);
            if (outcome.kind() != IngestOutcome.Kind.ACCEPTED || outcome.rejected() != 0) throw new IllegalStateException("events refused: " + outcome.message());
            accepted++;
        }
        return accepted;
    }

    private static List<ExportLogsServiceRequest> read(Path raw) throws IOException {
        if (!Files.isDirectory(raw)) {
            throw new IOException("no recorded captures at " + raw.toAbsolutePath() + ": run from the checkout next to ../shared, "
                    + "or pass -p captures=DIR");
        }
        List<ExportLogsServiceRequest> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(raw)) {
            for (Path p : files.filter(f -> f.getFileName().toString().matches("logs-.*\\.bin")).sorted().toList()) {
                out.add(ExportLogsServiceRequest.parseFrom(Files.readAllBytes(p)));
            }
        }
        return out;
    }

    private static List<LogRecord> records(ExportLogsServiceRequest r) {
        List<LogRecord> out = new ArrayList<>();
        for (ResourceLogs rl : r.getResourceLogsList()) {
            for (ScopeLogs sl : rl.getScopeLogsList()) out.addAll(sl.getLogRecordsList());
        }
        return out;
    }

    /**
     * The export with each session id replaced by a marker of the same length and each record time by a unique
     * marker, serialized; the markers' offsets are where a round writes its values.
     */
    private static Export marked(ExportLogsServiceRequest request, Map<String, Integer> sessions, long shiftMs) {
        ExportLogsServiceRequest.Builder b = request.toBuilder();
        List<Long> times = new ArrayList<>();
        List<Integer> sessionOf = new ArrayList<>();
        for (ResourceLogs.Builder rl : b.getResourceLogsBuilderList()) {
            for (ScopeLogs.Builder sl : rl.getScopeLogsBuilderList()) {
                for (LogRecord.Builder rec : sl.getLogRecordsBuilderList()) {
                    times.add(rec.getTimeUnixNano() / 1_000_000 + shiftMs);
                    rec.setTimeUnixNano(TIME_MARK + times.size());
                    for (KeyValue.Builder kv : rec.getAttributesBuilderList()) {
                        if (!kv.getKey().equals("session.id")) continue;
                        String id = kv.getValue().getStringValue();
                        if (id.length() != SESSION_MARK.length() + 12) throw new IllegalStateException("not a UUID: " + id);
                        int s = sessions.computeIfAbsent(id, k -> sessions.size());
                        sessionOf.add(s);
                        kv.setValue(AnyValue.newBuilder().setStringValue(SESSION_MARK + "%012d".formatted(sessionOf.size())));
                    }
                }
            }
        }
        byte[] bytes = b.build().toByteArray();
        int[] timeAt = new int[times.size()];
        for (int i = 0; i < timeAt.length; i++) timeAt[i] = indexOf(bytes, le(TIME_MARK + i + 1));
        int[] sessionAt = new int[sessionOf.size()];
        for (int i = 0; i < sessionAt.length; i++) {
            sessionAt[i] = indexOf(bytes, (SESSION_MARK + "%012d".formatted(i + 1)).getBytes(StandardCharsets.US_ASCII));
            // a valid UUID prefix once written; the 12 digits after it are the round's session
            System.arraycopy("00000000-0000-4000-8000-".getBytes(StandardCharsets.US_ASCII), 0, bytes, sessionAt[i], SESSION_MARK.length());
        }
        return new Export(bytes, sessionAt, sessionOf.stream().mapToInt(Integer::intValue).toArray(), timeAt,
                times.stream().mapToLong(Long::longValue).toArray());
    }

    private static byte[] le(long v) {
        byte[] out = new byte[8];
        for (int i = 0; i < 8; i++) out[i] = (byte) (v >>> (8 * i));
        return out;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) continue outer;
            }
            return i;
        }
        throw new IllegalStateException("marker not found in the serialized export");
    }

    private static void writeFixed64(byte[] b, int at, long v) {
        for (int i = 0; i < 8; i++) b[at + i] = (byte) (v >>> (8 * i));
    }

    /** Twelve lowercase hex digits of {@code v}: the last group of a UUID. */
    private static void writeHex(byte[] b, int at, long v) {
        for (int i = 11; i >= 0; i--) {
            b[at + i] = (byte) "0123456789abcdef".charAt((int) (v & 0xf));
            v >>>= 4;
        }
    }
}
