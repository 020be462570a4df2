package tally.bench.ingest;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tally.bench.JvmFlags;
import tally.server.ingest.IngestBatch;
import tally.server.ingest.LabelLimits;
import tally.server.ingest.MetadataRecorder;
import tally.server.otlp.OtlpBatch;
import tally.server.otlp.OtlpTranslator;
import tally.server.otlp.TranslationSettings;
import tally.server.otlp.delta.DeltaAccumulator;
import tally.server.otlp.delta.SeriesHistory;

import java.util.concurrent.TimeUnit;

/**
 * OTLP protobuf bytes -> decode -> translate (names, labels, delta -> cumulative) -> append into a
 * counting appender. Score = samples per second on one thread; -prof gc gives bytes per sample.
 * 1000 points per request (100 Claude Code sessions) so per-request costs are amortised as on a busy server.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.ADD_OPENS_1, JvmFlags.ADD_OPENS_2, JvmFlags.ADD_EXPORTS_1, JvmFlags.ADD_EXPORTS_2,
        JvmFlags.NO_ANALYTICS, "-Xmx1g"})
public class OtlpIngestBenchmark {
    static final int SESSIONS = 100;
    static final int POINTS = 1000;
    private static final int ROUNDS = 64;

    @Param({"delta", "cumulative"})
    public String temporality;

    /** wire: Tally's hand-written decoder (the protobuf path); generated: protobuf-java classes (the JSON path's walk). */
    @Param({"wire", "generated"})
    public String decoder;

    private byte[][] payloads;
    private int next;
    private CountingStorage storage;
    private DeltaAccumulator delta;
    private OtlpTranslator translator;

    @Setup(Level.Trial)
    public void setup() {
        AggregationTemporality t = temporality.equals("delta")
                ? AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA : AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
        payloads = new byte[ROUNDS][];
        long base = 1_795_294_432_756L;
        for (int i = 0; i < ROUNDS; i++) {
            long start = t == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA ? base + i * 60_000L : base;
            payloads[i] = ClaudeCodePayloads.request(SESSIONS, t, start, base + (i + 1) * 60_000L, i).toByteArray();
        }
        storage = new CountingStorage();
        resetTranslator();
    }

    private void resetTranslator() {
        delta = new DeltaAccumulator(SeriesHistory.NONE, 10_000_000, 3_600_000, 86_400_000, System::currentTimeMillis, false);
        translator = new OtlpTranslator(TranslationSettings.DEFAULTS, delta, new MetadataRecorder(storage));
    }

    @Benchmark
    @OperationsPerInvocation(POINTS)
    public long decodeTranslateAppend() throws Exception {
        if (next == ROUNDS) { // timestamps would repeat: start the delta streams over
            next = 0;
            resetTranslator();
        }
        OtlpBatch batch = new OtlpBatch(new IngestBatch(storage.appender(), LabelLimits.NONE));
        if (decoder.equals("wire")) translator.translate(payloads[next++], batch);
        else translator.translate(ExportMetricsServiceRequest.parseFrom(payloads[next++]), batch);
        batch.ingest.commit();
        if (batch.rejectedPoints() != 0) throw new IllegalStateException(batch.ingest.refusalSummary());
        return batch.ingest.accepted();
    }
}
