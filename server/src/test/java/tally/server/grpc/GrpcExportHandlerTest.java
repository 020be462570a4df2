package tally.server.grpc;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tally.server.http.HttpServer;
import tally.server.metrics.ServerMetrics;
import tally.server.otlp.Otlp;
import tally.server.ingest.IngestOutcome;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static tally.server.grpc.H2Client.LOGS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tally.server.grpc.H2Client.METRICS;
import static tally.server.grpc.H2Client.frame;

/**
 * The contract of {@link ExportHandler}: a logs ingest plugs into LogsService/Export, and every
 * {@link IngestOutcome} becomes its gRPC status (and a partial success its reply message).
 */
class GrpcExportHandlerTest {

    private final HttpServer http = new HttpServer(2, 16, 1 << 20, ServerMetrics.create());
    private final AtomicReference<IngestOutcome> metricsOutcome = new AtomicReference<>();
    private final List<byte[]> logsReceived = new ArrayList<>();

    private H2Client start() throws InterruptedException {
        ExportHandler metrics = protobuf -> {
            IngestOutcome o = metricsOutcome.get();
            if (o == null) throw new IllegalStateException("the ingest broke");
            return o;
        };
        ExportHandler logs = protobuf -> {
            synchronized (logsReceived) {
                logsReceived.add(protobuf);
            }
            return IngestOutcome.accepted(2, "2 log records refused: no body");
        };
        GrpcServer grpc = new GrpcServer(metrics, logs, 4 << 20, ServerMetrics.create());
        InetSocketAddress bound = grpc.listen(http, new InetSocketAddress("127.0.0.1", 0));
        return new H2Client(bound.getPort());
    }

    @AfterEach
    void stop() {
        http.shutdown(1000);
    }

    @Test
    void aLogsIngestPlugsIn() throws Exception {
        try (H2Client c = start()) {
            byte[] request = ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(
                    ScopeLogs.newBuilder().addLogRecords(LogRecord.newBuilder().setTimeUnixNano(1_000_000_000L)
                            .setBody(AnyValue.newBuilder().setStringValue("claude_code.user_prompt"))))).build().toByteArray();
            H2Client.Reply r = c.call(LOGS, frame(true, Otlp.gzip(request)), "grpc-encoding", "gzip");
            assertEquals(0, r.grpcStatus(), r.grpcMessage());
            ExportLogsServiceResponse resp = ExportLogsServiceResponse.parseFrom(r.message());
            assertEquals(2, resp.getPartialSuccess().getRejectedLogRecords());
            assertEquals("2 log records refused: no body", resp.getPartialSuccess().getErrorMessage());
            assertEquals(1, logsReceived.size());
            assertArrayEquals(request, logsReceived.get(0), "the handler gets the message unframed and inflated");
        }
    }

    @Test
    void everyOutcomeHasItsStatus() throws Exception {
        try (H2Client c = start()) {
            byte[] any = frame(false, new byte[0]);
            metricsOutcome.set(IngestOutcome.accepted(0, ""));
            H2Client.Reply r = c.call(METRICS, any);
            assertEquals(0, r.grpcStatus());
            assertFalse(io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse.parseFrom(r.message()).hasPartialSuccess());
            assertEquals("", r.grpcMessage(), "no grpc-message on success");

            metricsOutcome.set(IngestOutcome.badData("bad"));
            assertEquals(GrpcStatus.INVALID_ARGUMENT, c.call(METRICS, any).grpcStatus());
            metricsOutcome.set(IngestOutcome.tooLarge("big"));
            assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, c.call(METRICS, any).grpcStatus());
            metricsOutcome.set(IngestOutcome.overloaded("storage is catching up", "7"));
            r = c.call(METRICS, any);
            assertEquals(GrpcStatus.UNAVAILABLE, r.grpcStatus(), "retryable");
            assertEquals("storage is catching up (retry after 7 s)", r.grpcMessage());

            metricsOutcome.set(IngestOutcome.badData("naïve 100% ✓\nnext"));
            r = c.call(METRICS, any);
            assertEquals("na%C3%AFve 100%25 %E2%9C%93%0Anext", r.grpcMessage(), "grpc-message is percent-encoded UTF-8");

            metricsOutcome.set(null);
            r = c.call(METRICS, any);
            assertEquals(GrpcStatus.INTERNAL, r.grpcStatus(), "an ingest that throws");
            assertTrue(r.grpcMessage().contains("the ingest broke"), r.grpcMessage());
        }
    }
}
