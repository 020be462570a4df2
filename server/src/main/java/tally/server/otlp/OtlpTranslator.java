package tally.server.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import tally.server.ingest.MetadataRecorder;
import tally.server.otlp.delta.DeltaAccumulator;

/**
 * OTLP metrics -> Prometheus samples, as Prometheus's OTLP receiver does with
 * {@code UnderscoreEscapingWithSuffixes} and delta-to-cumulative conversion on.
 * Protobuf bodies are decoded straight from the wire ({@link WireDecoder}); parsed messages (OTLP/JSON)
 * are walked ({@link GeneratedWalker}); both feed one {@link TranslationSession} per request.
 */
public final class OtlpTranslator {
    static final int FLAG_NO_RECORDED_VALUE = 1;
    private static final ThreadLocal<WireDecoder> WIRE = ThreadLocal.withInitial(WireDecoder::new);

    final TranslationSettings settings;
    final DeltaAccumulator delta;
    final MetadataRecorder metadata;
    final MetricNamer metricNamer = new MetricNamer();
    final LabelNamer labelNamer = new LabelNamer();

    public OtlpTranslator(TranslationSettings settings, DeltaAccumulator delta, MetadataRecorder metadata) {
        this.settings = settings;
        this.delta = delta;
        this.metadata = metadata;
    }

    /** Translates a parsed request (the OTLP/JSON path). */
    public void translate(ExportMetricsServiceRequest request, OtlpBatch out) {
        new GeneratedWalker().walk(request, new TranslationSession(this, out));
    }

    /**
     * Decodes and translates protobuf bytes in one pass. On a decoding error the batch holds the
     * points before it: the caller rolls it back.
     */
    public void translate(byte[] protobuf, OtlpBatch out) throws InvalidProtocolBufferException {
        WIRE.get().decode(protobuf, new TranslationSession(this, out));
    }
}
