package tally.server.grpc;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import tally.server.otlp.OtlpReplies;

/** The OTLP collector services' Export methods by :path: what runs each one, or the status that refuses it. */
final class OtlpGrpcMethods {
    static final String METRICS = "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export";
    static final String LOGS = "/opentelemetry.proto.collector.logs.v1.LogsService/Export";
    static final String TRACES = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

    /** The reply message of an accepted export (partial_success when something was refused). */
    @FunctionalInterface
    interface SuccessMessage {
        byte[] encode(long rejected, String message);
    }

    /**
     * What a :path resolves to: a method to run, or ({@code handler == null}) the status that refuses it.
     *
     * @param name the method's label in tally_grpc_requests_total
     */
    record Route(String name, ExportHandler handler, SuccessMessage success, GrpcStatus refusal) {
        static Route refused(String name, String message) {
            return new Route(name, null, null, new GrpcStatus(GrpcStatus.UNIMPLEMENTED, message));
        }
    }

    private final Route metrics;
    private final Route logs;

    OtlpGrpcMethods(ExportHandler metrics, ExportHandler logs) {
        this.metrics = new Route("metrics", metrics, (rejected, message) -> OtlpReplies.metricsResponse(rejected, message).toByteArray(), null);
        this.logs = new Route("logs", logs, OtlpGrpcMethods::logsResponse, null);
    }

    Route resolve(String path) {
        return switch (path) {
            case METRICS -> metrics;
            case LOGS -> logs;
            case TRACES -> Route.refused("traces", "Tally stores metrics and logs, not traces (set OTEL_TRACES_EXPORTER=none)");
            default -> Route.refused("unknown", "unknown method " + path + " (Tally serves the OTLP MetricsService and LogsService Export)");
        };
    }

    private static byte[] logsResponse(long rejected, String message) {
        ExportLogsServiceResponse.Builder b = ExportLogsServiceResponse.newBuilder();
        if (rejected > 0 || !message.isEmpty()) {
            b.setPartialSuccess(ExportLogsPartialSuccess.newBuilder().setRejectedLogRecords(rejected).setErrorMessage(message));
        }
        return b.build().toByteArray();
    }
}
