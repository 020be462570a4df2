package tally.server.remotewrite;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import tally.server.ingest.BadDataException;
import tally.server.ingest.BatchIngest;
import tally.server.ingest.BodyTooLargeException;
import tally.server.ingest.IngestBatch;
import tally.server.ingest.IngestOutcome;
import tally.server.ingest.MetadataRecorder;

/**
 * Remote-write's part of one request: the snappy body decompressed into the thread's buffers, the WriteRequest (1.0)
 * or Request (2.0) decoded straight into the batch, native histograms refused (Tally stores none). Exemplars are
 * refused in 1.0 (a 400 naming them) and left out of the written counts in 2.0 (which has a header saying how many
 * were written; Prometheus 3.x without exemplar storage does the same). Decompression runs inside the shared ingest,
 * so its failures meet the same error policy as the storage's.
 */
final class RemoteWriteWork implements BatchIngest.Work {
    private static final ThreadLocal<WriteRequestDecoder> DECODERS = ThreadLocal.withInitial(WriteRequestDecoder::new);
    private static final ThreadLocal<RequestV2Decoder> V2_DECODERS = ThreadLocal.withInitial(RequestV2Decoder::new);
    /** Per-thread body buffers (compressed, decompressed), reused by the next request on the thread. */
    private static final ThreadLocal<SnappyBuffers> BUFFERS = ThreadLocal.withInitial(SnappyBuffers::new);

    private final ByteBuf body;
    private final long maxBodyBytes;
    private final MetadataRecorder metadata;
    private final boolean v2;
    /** Float samples committed (set once the batch is). */
    long written;
    private long emptySeries;
    private String emptySeriesMessage;

    RemoteWriteWork(ByteBuf body, long maxBodyBytes, MetadataRecorder metadata, boolean v2) {
        this.body = body;
        this.maxBodyBytes = maxBodyBytes;
        this.metadata = metadata;
        this.v2 = v2;
    }

    @Override
    public void appendTo(IngestBatch ingest) throws BadDataException, BodyTooLargeException {
        SnappyBuffers buffers = BUFFERS.get();
        try {
            int rawLength;
            try {
                rawLength = buffers.uncompress(body, maxBodyBytes);
            } catch (IOException e) {
                throw new BadDataException("snappy: corrupt input (" + e.getMessage() + ")");
            }
            RemoteWriteBatch batch = new RemoteWriteBatch(ingest, metadata);
            if (v2) {
                try {
                    V2_DECODERS.get().decode(buffers.raw(), rawLength, batch);
                } catch (ProtoException e) {
                    throw new BadDataException("cannot decode io.prometheus.write.v2.Request protobuf: " + e.getMessage());
                }
                emptySeries = batch.emptySeries;
                emptySeriesMessage = batch.firstEmptySeries;
            } else {
                try {
                    DECODERS.get().decode(buffers.raw(), rawLength, batch);
                } catch (ProtoException e) {
                    throw new BadDataException("cannot decode WriteRequest protobuf: " + e.getMessage());
                }
                if (batch.exemplars > 0) {
                    ingest.refuseAll("exemplar_unsupported", "exemplars are not supported: " + batch.exemplars + " exemplars dropped",
                            batch.exemplars);
                }
            }
            if (batch.histograms > 0) {
                ingest.refuseAll("native_histogram_unsupported",
                        "native histograms are not supported: " + batch.histograms + " histogram samples dropped", batch.histograms);
            }
        } finally {
            buffers.done();
        }
    }

    @Override
    public IngestOutcome accepted(IngestBatch batch) {
        written = batch.accepted();
        if (batch.refusals().isEmpty() && emptySeries == 0) return IngestOutcome.ACCEPTED;
        String message = batch.refusalSummary();
        if (emptySeries > 0) {
            if (!message.isEmpty()) message += "; ";
            message += emptySeriesMessage + (emptySeries > 1 ? " (and " + (emptySeries - 1) + " more)" : "");
        }
        return IngestOutcome.accepted(batch.refusedTotal(), message);
    }
}
