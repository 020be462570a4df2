package tally.bench.ingest;

import com.google.protobuf.CodedOutputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.xerial.snappy.Snappy;
import tally.bench.JvmFlags;
import tally.server.ingest.IngestBatch;
import tally.server.ingest.LabelLimits;
import tally.server.remotewrite.WriteRequestDecoder;
import tally.server.remotewrite.RemoteWriteBatch;
import tally.server.ingest.MetadataRecorder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Remote-write 1.0 body (snappy WriteRequest, 2000 series x 1 sample, 7 labels each, as a
 * Prometheus shard sends) -> snappy -> decode -> label validation -> Labels -> append into a counting appender.
 * Score = samples per second on one thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.ADD_OPENS_1, JvmFlags.ADD_OPENS_2, JvmFlags.ADD_EXPORTS_1, JvmFlags.ADD_EXPORTS_2,
        JvmFlags.NO_ANALYTICS, "-Xmx1g"})
public class RemoteWriteBenchmark {
    static final int SERIES = 2000;

    private byte[] body;
    private final WriteRequestDecoder decoder = new WriteRequestDecoder();
    private CountingStorage storage;
    private MetadataRecorder metadata;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(req);
        for (int i = 0; i < SERIES; i++) {
            ByteArrayOutputStream ts = new ByteArrayOutputStream();
            CodedOutputStream t = CodedOutputStream.newInstance(ts);
            String[] kv = {"__name__", "http_requests_total", "code", i % 5 == 0 ? "500" : "200", "handler", "/api/v" + (i % 40),
                    "instance", "10.0.0." + (i % 50) + ":9100", "job", "node", "method", i % 2 == 0 ? "GET" : "POST", "pod", "web-" + (i % 97)};
            for (int l = 0; l < kv.length; l += 2) RemoteWriteWire.label(t, kv[l], kv[l + 1]);
            RemoteWriteWire.sample(t, 1_795_294_432_756L, i * 1.5);
            t.flush();
            out.writeByteArray(1, ts.toByteArray());
        }
        out.flush();
        body = Snappy.compress(req.toByteArray());
        storage = new CountingStorage();
        metadata = new MetadataRecorder(storage);
    }

    @Benchmark
    @OperationsPerInvocation(SERIES)
    public long snappyDecodeAppend() throws Exception {
        byte[] raw = Snappy.uncompress(body);
        IngestBatch batch = new IngestBatch(storage.appender(), LabelLimits.NONE);
        decoder.decode(raw, raw.length, new RemoteWriteBatch(batch, metadata));
        batch.commit();
        return batch.accepted();
    }
}
