package tally.server.fuzz;

import org.junit.jupiter.api.Test;
import tally.server.grpc.H2Client;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzz target 2: OTLP over gRPC. Each case is one unary call on a shared HTTP/2 connection: headers (method path,
 * content-type, grpc-encoding, grpc-timeout), a Length-Prefixed-Message built from a recorded export (mutated message,
 * compressed or not, flag and length rewritten, truncated, followed by more bytes) sent in DATA frames of any size,
 * and now and then a stream the client never ends. Every call must end in a grpc-status the protocol allows for
 * what was sent (docs/otlp-grpc.md), a plain HTTP 415/405 for a non-gRPC request, or a CANCEL reset at the call's
 * deadline; never INTERNAL from a failure, never silence. A known-good export on the same connection every 25 calls
 * must succeed, and the store must stay whole ({@link ServerTarget}). Long run: {@code bench/fuzz.sh grpc 1000000}.
 */
class GrpcFuzzTest {
    private static final String TRACES = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
    private static final int MAX_MESSAGE = 4 << 20;

    @Test
    void everyGrpcCallEndsInAStatusTheProtocolAllows() throws Exception {
        List<byte[]> metrics = new ArrayList<>(Seeds.of(Seeds.Signal.METRICS, false));
        metrics.add(SyntheticOtlp.metrics().toByteArray());
        List<byte[]> logs = new ArrayList<>(Seeds.of(Seeds.Signal.LOGS, false));
        logs.add(SyntheticOtlp.logs().toByteArray());
        Mutator metricsMutator = new Mutator(metrics, Seeds.otlpTokens(), 256 << 10, true);
        Mutator logsMutator = new Mutator(logs, Seeds.otlpTokens(), 256 << 10, true);
        GrpcCalls calls = new GrpcCalls();
        try (ServerTarget<GrpcCase> target = new ServerTarget<>("grpc", c -> c.otlpGrpcMaxRecvMsgSize = MAX_MESSAGE, 25, 20_000,
                GrpcCase::toBytes, calls::send)) {
            FuzzRun<GrpcCase> run = new FuzzRun<>("grpc", 1500, 2, r -> next(r, metricsMutator, logsMutator), target, GrpcCase::toBytes);
            FuzzRun.Report report = run.run();
            target.finish();
            assertEquals(List.of(), report.failures(), report.summary());
        } finally {
            calls.close();
        }
    }

    static GrpcCase next(SplittableRandom r, Mutator metrics, Mutator logs) {
        int p = r.nextInt(100);
        boolean isLogs = r.nextBoolean();
        String path = p < 90 ? (isLogs ? H2Client.LOGS : H2Client.METRICS) : p < 94 ? TRACES : p < 97 ? "/no.such.Service/Export"
                : (isLogs ? H2Client.LOGS : H2Client.METRICS).substring(0, 1 + r.nextInt(40));
        int t = r.nextInt(100);
        String type = t < 90 ? "application/grpc" : pick(r, "application/grpc+proto", "application/grpc+json", "application/json",
                "", null, "application/grpc;charset=utf-8", "text/plain");
        int e = r.nextInt(100);
        String encoding = e < 55 ? null : e < 60 ? "identity" : e < 80 ? "gzip" : e < 95 ? "deflate" : pick(r, "snappy", "br", "GZIP", "");
        String timeout = r.nextInt(10) == 0 ? pick(r, "5S", "100m", "1n", "99999999H", "abc", "-1S", "0m", "30000000u") : null;
        byte[] message = r.nextInt(5) == 0 ? (isLogs ? logs : metrics).seeds().get(r.nextInt((isLogs ? logs : metrics).seeds().size()))
                : (isLogs ? logs : metrics).next(r);
        boolean compress = encoding != null && !encoding.equals("identity") && r.nextInt(5) != 0;
        byte[] payload = compress ? Compress.encode(encoding.toLowerCase(), message) : message;
        byte[] body = frame(r, compress ? 1 : 0, payload);
        boolean end = r.nextInt(500) != 0; // a stream left open: the deadline must end it
        if (!end) timeout = "150m";
        int chunk = 1 + r.nextInt(r.nextBoolean() ? 64 : 32 << 10);
        chunk = Math.max(chunk, body.length / 32); // frames of any size, but few of them: a call is one round trip or so
        return new GrpcCase(path, type, encoding, timeout, chunk, end, body);
    }

    /** The Length-Prefixed-Message, now and then with its flag or length rewritten, cut short, or more bytes after it. */
    private static byte[] frame(SplittableRandom r, int flag, byte[] payload) {
        long length = payload.length;
        int k = r.nextInt(100);
        if (k < 4) flag = pick(r, 2, 0xff, 1 - flag);
        else if (k < 10) length = pick(r, 0L, length + 1 + r.nextInt(64), Math.max(0, length - 1 - r.nextInt(64)), 0x7fffffffL, 0xffffffffL,
                (long) MAX_MESSAGE + 1);
        ByteBuffer b = ByteBuffer.allocate(5 + payload.length).put((byte) flag).putInt((int) length).put(payload);
        byte[] out = b.array();
        if (k >= 10 && k < 14) out = java.util.Arrays.copyOf(out, r.nextInt(out.length)); // cut anywhere, prefix included
        if (k >= 14 && k < 17) {
            byte[] twice = java.util.Arrays.copyOf(out, out.length * 2);
            System.arraycopy(out, 0, twice, out.length, out.length);
            out = twice;
        }
        return out;
    }

    @SafeVarargs
    private static <T> T pick(SplittableRandom r, T... options) {
        return options[r.nextInt(options.length)];
    }
}
