package tally.server.grpc;

import tally.server.ingest.IngestOutcome;

/**
 * What an OTLP/gRPC Export method runs: the metrics ingest, and the logs ingest once it exists (TallyServer
 * passes it to {@link GrpcServer}; until then LogsService/Export answers UNIMPLEMENTED).
 */
@FunctionalInterface
public interface ExportHandler {
    /**
     * Runs on a worker thread, never the event loop, so it may block on storage.
     *
     * @param protobuf the request message (ExportMetricsServiceRequest, ExportLogsServiceRequest), unframed and decompressed
     */
    IngestOutcome export(byte[] protobuf);
}
