package tally.forward;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import tally.forward.relabel.RelabelConfig;
import tally.forward.wire.ProtobufMessage;

/**
 * One {@code remote_write} entry of prometheus.yml, resolved: files named by the entry (passwords, credentials,
 * certificates) are read by the suppliers at send time, as Prometheus re-reads them.
 *
 * @param name          the target's name: {@code name} when given, else a short hash of the entry (Prometheus's rule)
 * @param authorization the {@code Authorization} header value to send, or null; called per request
 * @param sslContext    the client TLS context for {@code tls_config}, or null for the JVM's default
 * @param tlsServerName host name to verify the server's certificate against instead of the URL's ({@code server_name}), or null
 */
public record RemoteWriteConfig(URI url, String name, Duration remoteTimeout, Map<String, String> headers,
                                Supplier<String> authorization, SSLContext sslContext, String tlsServerName,
                                List<RelabelConfig> writeRelabelConfigs, QueueConfig queue, MetadataConfig metadata,
                                ProtobufMessage protobufMessage) {
    public RemoteWriteConfig {
        if (url == null) throw new IllegalArgumentException("remote_write: url is required");
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("remote_write: name is empty");
        if (remoteTimeout == null || remoteTimeout.isNegative() || remoteTimeout.isZero())
            throw new IllegalArgumentException("remote_write: remote_timeout must be positive");
        headers = Map.copyOf(headers);
        writeRelabelConfigs = List.copyOf(writeRelabelConfigs);
        if (queue == null) queue = QueueConfig.defaults();
        if (metadata == null) metadata = MetadataConfig.defaults();
        if (protobufMessage == null) protobufMessage = ProtobufMessage.V1;
    }

    /** A target with Prometheus's defaults for everything but the URL and name. */
    public static RemoteWriteConfig of(URI url, String name) {
        return new RemoteWriteConfig(url, name, Duration.ofSeconds(30), Map.of(), null, null, null, List.of(),
                QueueConfig.defaults(), MetadataConfig.defaults(), ProtobufMessage.V1);
    }

    /** {@code queue_config}, with Prometheus's defaults. */
    public record QueueConfig(int capacity, int maxShards, int minShards, int maxSamplesPerSend, Duration batchSendDeadline,
                              Duration minBackoff, Duration maxBackoff, boolean retryOnHttp429, Duration sampleAgeLimit) {
        public QueueConfig {
            if (capacity <= 0 || maxShards <= 0 || minShards <= 0 || maxSamplesPerSend <= 0)
                throw new IllegalArgumentException("queue_config: capacity, shards and max_samples_per_send must be positive");
            if (minShards > maxShards) throw new IllegalArgumentException("queue_config: min_shards is above max_shards");
            if (batchSendDeadline.isNegative() || batchSendDeadline.isZero())
                throw new IllegalArgumentException("queue_config: batch_send_deadline must be positive");
            if (minBackoff.isNegative() || maxBackoff.compareTo(minBackoff) < 0)
                throw new IllegalArgumentException("queue_config: max_backoff must be at least min_backoff");
        }

        /** Prometheus 3's DefaultQueueConfig; retry_on_http_429 is false there (docs: "default = false"). */
        public static QueueConfig defaults() {
            return new QueueConfig(10_000, 50, 1, 2_000, Duration.ofSeconds(5), Duration.ofMillis(30), Duration.ofSeconds(5), false,
                    Duration.ZERO);
        }
    }

    /** {@code metadata_config}, with Prometheus's defaults. */
    public record MetadataConfig(boolean send, Duration sendInterval, int maxSamplesPerSend) {
        public static MetadataConfig defaults() {
            return new MetadataConfig(true, Duration.ofMinutes(1), 2_000);
        }
    }
}
