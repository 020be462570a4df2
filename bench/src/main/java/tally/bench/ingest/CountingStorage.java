package tally.bench.ingest;

import tally.model.Appender;
import tally.model.Labels;
import tally.model.MetricMetadata;
import tally.model.Querier;
import tally.model.Storage;

import java.util.List;
import java.util.Map;

/** A Storage whose appenders only count, so benchmarks measure decode + translate, not the database. */
final class CountingStorage implements Storage {
    long samples;
    long labelChecksum;

    @Override
    public Appender appender() {
        return new Appender() {
            @Override
            public long append(long ref, Labels labels, long t, double v) {
                samples++;
                labelChecksum += labels.size() + t;
                return 1;
            }

            @Override public void commit() {}

            @Override public void rollback() {}
        };
    }

    @Override public void putMetadata(String metric, MetricMetadata metadata) {}

    @Override public Map<String, List<MetricMetadata>> metadata() { return Map.of(); }

    @Override public Querier querier(long mint, long maxt) { throw new UnsupportedOperationException("write-only benchmark storage"); }

    @Override public void close() {}
}
