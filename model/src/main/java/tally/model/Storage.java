package tally.model;

import java.util.List;
import java.util.Map;

/** The whole database as the server and the PromQL engine see it. */
public interface Storage extends Queryable, Appendable, AutoCloseable {
    /** Records metadata for a metric family name (latest wins per distinct value). */
    void putMetadata(String metric, MetricMetadata metadata);

    /** Metadata by metric family name. */
    Map<String, List<MetricMetadata>> metadata();

    /** Flushes, writes the clean-shutdown marker and releases files. */
    @Override
    void close();
}
