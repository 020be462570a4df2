package tally.bench.ingest;

import com.google.protobuf.CodedOutputStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.xerial.snappy.Snappy;
import tally.bench.JvmFlags;
import tally.server.http.Request;
import tally.server.http.Response;
import tally.server.ingest.IngestLimiter;
import tally.server.ingest.LabelLimits;
import tally.server.ingest.MetadataRecorder;
import tally.server.metrics.ServerMetrics;
import tally.server.remotewrite.RemoteWriteHandler;
import tally.storage.StorageOptions;
import tally.storage.TallyStorage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The server's remote-write path into the real storage, one request per invocation: snappy body ->
 * {@link RemoteWriteHandler} (decompress, decode, validate, append, WAL write, head chunks), with the storage's
 * background flusher running. Score = samples per second on one thread. Because the machine may be shared and
 * the request bodies are built between invocations, each fork also prints the handler thread's own CPU time and
 * allocation per sample, measured around the handler call only (measurement iterations only).
 * <ul>
 *   <li>{@code synthetic}: 1,000 series x 60 samples at 15 s per request (15 minutes), half random-walk gauges
 *       with 2 decimals, half integer counters: the shape of bench/peers.sh's synthetic replay.</li>
 *   <li>{@code churn}: 2,000 series x 1 sample at 60 s per request; every series lives 37 requests, so about 54
 *       of them are new in every request: the shape of Claude Code sessions.</li>
 * </ul>
 * The request bodies are built before each invocation (not measured).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.ADD_OPENS_1, JvmFlags.ADD_OPENS_2, JvmFlags.ADD_EXPORTS_1,
        JvmFlags.ADD_EXPORTS_2, JvmFlags.NO_ANALYTICS, "-Xmx2g"})
public class RemoteWriteIngestBench {
    static final int SYN_SERIES = 1000;
    static final int SYN_PER_REQUEST = 60;
    static final int CHURN_SERIES = 2000;
    static final int CHURN_LIFE = 37;

    /** A storage, the handler in front of it, and the next request. */
    public abstract static class Server {
        Path dir;
        TallyStorage storage;
        RemoteWriteHandler handler;
        Request next;
        ByteBuf nextBody;
        int request;
        final Random random = new Random(42);
        final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        boolean measuring;
        long cpuNanos;
        long allocatedBytes;
        long samples;
        int requests;

        @Setup(Level.Trial)
        public void open() throws IOException {
            dir = Files.createTempDirectory("tally-rw-ingest-bench");
            storage = TallyStorage.open(StorageOptions.defaults(dir));
            handler = new RemoteWriteHandler(storage, new MetadataRecorder(storage), new IngestLimiter(64, storage, tally.server.metrics.ServerMetrics.create()),
                    new LabelLimits(128, 1024, 16384), new tally.server.ingest.RequestLimits(100_000, 200_000), 32 << 20, ServerMetrics.create());
        }

        @Setup(Level.Invocation)
        public void nextRequest() throws IOException {
            ByteArrayOutputStream req = new ByteArrayOutputStream(1 << 20);
            CodedOutputStream out = CodedOutputStream.newInstance(req);
            writeRequest(out, request++);
            out.flush();
            byte[] body = Snappy.compress(req.toByteArray());
            if (nextBody != null) nextBody.release();
            ByteBuf buf = Unpooled.directBuffer(body.length).writeBytes(body); // Netty hands handlers direct buffers
            nextBody = buf;
            next = new Request(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/v1/write", buf), null);
        }

        abstract void writeRequest(CodedOutputStream out, int k) throws IOException;

        abstract int samplesPerRequest();

        @Setup(Level.Iteration)
        public void startIteration(org.openjdk.jmh.infra.IterationParams params) {
            measuring = params.getType() == org.openjdk.jmh.runner.IterationType.MEASUREMENT;
        }

        int send() {
            long tid = Thread.currentThread().getId();
            long cpu0 = threads.getThreadCpuTime(tid);
            long alloc0 = threads.getThreadAllocatedBytes(tid);
            Response r = handler.handle(next);
            if (measuring) {
                cpuNanos += threads.getThreadCpuTime(tid) - cpu0;
                allocatedBytes += threads.getThreadAllocatedBytes(tid) - alloc0;
                samples += samplesPerRequest();
                requests++;
            }
            if (r.status() != HttpResponseStatus.NO_CONTENT) {
                throw new IllegalStateException(r.status() + ": " + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
            }
            return r.status().code();
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            System.out.printf("%n%s: handler thread %.1f ns CPU/sample, %.1f bytes allocated/sample (%d requests, %d samples)%n",
                    getClass().getSimpleName(), (double) cpuNanos / samples, (double) allocatedBytes / samples, requests, samples);
            if (nextBody != null) nextBody.release();
            storage.close();
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @State(Scope.Thread)
    public static class Synthetic extends Server {
        final double[] values = new double[SYN_SERIES];

        @Override
        int samplesPerRequest() { return SYN_SERIES * SYN_PER_REQUEST; }

        @Override
        void writeRequest(CodedOutputStream out, int k) throws IOException {
            long t0 = 1_790_000_000_000L + (long) k * SYN_PER_REQUEST * 15_000;
            for (int i = 0; i < SYN_SERIES; i++) {
                boolean gauge = i % 2 == 0;
                ByteArrayOutputStream ts = new ByteArrayOutputStream(2048);
                CodedOutputStream o = CodedOutputStream.newInstance(ts);
                RemoteWriteWire.label(o, "__name__", gauge ? "bench_gauge" : "bench_counter_total");
                RemoteWriteWire.label(o, "instance", "host-" + (i / 100));
                RemoteWriteWire.label(o, "job", "bench");
                RemoteWriteWire.label(o, "series", Integer.toString(i));
                double v = values[i];
                for (int s = 0; s < SYN_PER_REQUEST; s++) {
                    v = gauge ? Math.round((v + random.nextGaussian()) * 100) / 100.0 : v + random.nextInt(10);
                    RemoteWriteWire.sample(o, t0 + s * 15_000L, v);
                }
                values[i] = v;
                o.flush();
                out.writeByteArray(1, ts.toByteArray());
            }
        }
    }

    @State(Scope.Thread)
    public static class Churn extends Server {
        final double[] values = new double[CHURN_SERIES];

        @Override
        int samplesPerRequest() { return CHURN_SERIES; }

        @Override
        void writeRequest(CodedOutputStream out, int k) throws IOException {
            long t = 1_790_000_000_000L + (long) k * 60_000;
            for (int j = 0; j < CHURN_SERIES; j++) {
                int generation = (k + j % CHURN_LIFE) / CHURN_LIFE;
                if ((k + j % CHURN_LIFE) % CHURN_LIFE == 0) values[j] = 0; // a new session starts its counter
                values[j] += 1 + random.nextInt(500);
                ByteArrayOutputStream ts = new ByteArrayOutputStream(512);
                CodedOutputStream o = CodedOutputStream.newInstance(ts);
                RemoteWriteWire.label(o, "__name__", "claude_code_token_usage_tokens_total");
                RemoteWriteWire.label(o, "model", j % 3 == 0 ? "claude-haiku-4-5" : "claude-sonnet-4-5");
                RemoteWriteWire.label(o, "session_id", "s-" + j + "-" + generation);
                RemoteWriteWire.label(o, "type", new String[] {"input", "output", "cacheRead", "cacheCreation"}[j % 4]);
                RemoteWriteWire.label(o, "user_id", "user-" + (j % 50));
                RemoteWriteWire.sample(o, t, values[j]);
                o.flush();
                out.writeByteArray(1, ts.toByteArray());
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(SYN_SERIES * SYN_PER_REQUEST)
    public int synthetic(Synthetic s) {
        return s.send();
    }

    @Benchmark
    @OperationsPerInvocation(CHURN_SERIES)
    public int churn(Churn s) {
        return s.send();
    }
}
