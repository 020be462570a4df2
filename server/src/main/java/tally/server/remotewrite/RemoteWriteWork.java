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
 * Remote-write's part of one request: the snappy body decompressed into the thread's buffers, the WriteRequest decoded
 * straight into the batch, exemplars and native histograms refused (Tally stores neither). Decompression runs inside
 * the shared ingest, so its failures meet the same error policy as the storage's.
 */
final class RemoteWriteWork implements BatchIngest.Work {
    private static final ThreadLocal<WriteRequestDecoder> DECODERS = ThreadLocal.withInitial(WriteRequestDecoder::new);
    /** Per-thread body buffers (compressed, decompressed), reused by the next request on the thread. */
    private static final ThreadLocal<SnappyBuffers> BUFFERS = ThreadLocal.withInitial(SnappyBuffers::new);

    private final ByteBuf body;
    private final long maxBodyBytes;
    private final MetadataRecorder metadata;

    RemoteWriteWork(ByteBuf body, long maxBodyBytes, MetadataRecorder metadata) {
        this.body = body;
        this.maxBodyBytes = maxBodyBytes;
        this.metadata = metadata;
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
            try {
                DECODERS.get().decode(buffers.raw(), rawLength, batch);
            } catch (ProtoException e) {
                throw new BadDataException("cannot decode WriteRequest protobuf: " + e.getMessage());
            }
            if (batch.exemplars > 0) {
                ingest.refuseAll("exemplar_unsupported", "exemplars are not supported: " + batch.exemplars + " exemplars dropped",
                        batch.exemplars);
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
        return batch.refusals().isEmpty() ? IngestOutcome.ACCEPTED : IngestOutcome.accepted(batch.refusedTotal(), batch.refusalSummary());
    }
}
