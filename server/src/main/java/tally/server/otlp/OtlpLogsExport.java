package tally.server.otlp;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import tally.server.ingest.IngestOutcome;

/**
 * The OTLP logs ingest as every transport calls it: OTLP/HTTP ({@code POST /v1/logs}, {@link OtlpLogsHandler}) and
 * OTLP/gRPC ({@code /opentelemetry.proto.collector.logs.v1.LogsService/Export}). The transport admits the request
 * ({@link tally.server.ingest.IngestLimiter}) and decompresses the body first; the ingest decodes, derives Claude
 * Code's event metrics, commits and answers with a transport-independent {@link IngestOutcome}
 * ({@code rejected} counts log records).
 */
@FunctionalInterface
public interface OtlpLogsExport {
    /** One export: the decompressed protobuf bytes of an ExportLogsServiceRequest. */
    IngestOutcome export(byte[] protobuf);

    /** One export already parsed (OTLP/JSON); implementations may skip re-encoding it. */
    default IngestOutcome export(ExportLogsServiceRequest request) {
        return export(request.toByteArray());
    }
}
