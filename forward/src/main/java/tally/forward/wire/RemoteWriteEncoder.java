package tally.forward.wire;

import java.util.List;
import java.util.Map;
import tally.model.MetricMetadata;

/**
 * Encodes a {@link SendBatch} as a remote-write request body: the protobuf message of the target's version,
 * snappy block-compressed. One encoder per sending thread (it reuses its buffers; not thread-safe). Send the body
 * with the headers {@code Content-Encoding: snappy}, {@code Content-Type: }{@link #contentType()} and
 * {@code X-Prometheus-Remote-Write-Version: }{@link #versionHeader()}.
 */
public interface RemoteWriteEncoder {
    /** A new encoder for the given message. */
    static RemoteWriteEncoder of(ProtobufMessage message) {
        return switch (message) {
            case V1 -> new RemoteWriteV1Encoder();
            case V2 -> new RemoteWriteV2Encoder();
        };
    }

    ProtobufMessage message();

    /** The request's Content-Type. */
    String contentType();

    /** The request's {@code X-Prometheus-Remote-Write-Version}. */
    String versionHeader();

    /** Encodes and compresses into the encoder's buffer: the result is valid until the next call on this encoder. */
    Payload encode(SendBatch batch);

    /** {@link #encode} into a new array of exactly the body's length. */
    default byte[] encodeCompressed(SendBatch batch) {
        return encode(batch).toByteArray();
    }

    /**
     * Whether metadata goes in requests of its own ({@link #encodeMetadata}, 1.0) rather than with each series
     * (2.0, from the metadata given to {@link SendBatch#add}).
     */
    boolean sendsMetadataSeparately();

    /**
     * A metadata-only request (1.0's {@code WriteRequest.metadata}), metric family name to metadata, into the
     * encoder's buffer like {@link #encode}. 2.0 has no such request: throws UnsupportedOperationException.
     */
    Payload encodeMetadata(List<Map.Entry<String, MetricMetadata>> metadata);
}
