package tally.server.testing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongUpDownCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.resources.Resource;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One fixed use of the OpenTelemetry Java SDK (a counter, an up-down counter, a histogram and a gauge over exactly
 * three exports) sent through whichever exporter a test gives: OTLP/HTTP and OTLP/gRPC tests send the same data.
 */
public final class SdkScenario {
    public static final AttributeKey<String> QUEUE = AttributeKey.stringKey("queue");

    private SdkScenario() {}

    /** Records and exports three times; each export must succeed before the next step. */
    public static void run(MetricExporter exporter) throws InterruptedException {
        AtomicLong temperature = new AtomicLong(20);
        ExportOnDemand reader = new ExportOnDemand(exporter);
        try (SdkMeterProvider provider = SdkMeterProvider.builder()
                .setResource(Resource.create(Attributes.builder().put("service.name", "sdk-test")
                        .put("service.instance.id", "inst-1").put("host.name", "box").build()))
                .registerMetricReader(reader)
                .build()) {
            Meter meter = provider.get("tally.test");
            LongCounter jobs = meter.counterBuilder("jobs.done").setUnit("{job}").setDescription("Jobs finished").build();
            LongUpDownCounter queued = meter.upDownCounterBuilder("queue.length").build();
            DoubleHistogram latency = meter.histogramBuilder("op.duration").setUnit("s")
                    .setExplicitBucketBoundariesAdvice(List.of(0.1, 1.0)).build();
            meter.gaugeBuilder("room.temperature").setUnit("Cel").buildWithCallback(o -> o.record(temperature.get()));

            jobs.add(3, Attributes.of(QUEUE, "a"));
            queued.add(4);
            latency.record(0.05);
            latency.record(0.5);
            reader.export();
            Thread.sleep(5); // distinct millisecond timestamps for the next export
            jobs.add(2, Attributes.of(QUEUE, "a"));
            queued.add(-1);
            latency.record(5);
            temperature.set(23);
            reader.export();
            Thread.sleep(5);
            reader.export(); // delta: nothing new for jobs; cumulative: same values again
        }
    }

    /**
     * Exports when told and never on its own: the SDK's PeriodicMetricReader also exports at shutdown, or not,
     * depending on a race with the flush before it, so two runs could differ by one export.
     */
    private static final class ExportOnDemand implements MetricReader {
        private final MetricExporter exporter;
        private volatile CollectionRegistration registration = CollectionRegistration.noop();

        ExportOnDemand(MetricExporter exporter) { this.exporter = exporter; }

        void export() {
            CompletableResultCode r = exporter.export(registration.collectAllMetrics()).join(10, TimeUnit.SECONDS);
            if (!r.isSuccess()) throw new AssertionError("export failed", r.getFailureThrowable());
        }

        @Override
        public void register(CollectionRegistration registration) { this.registration = registration; }

        @Override
        public AggregationTemporality getAggregationTemporality(InstrumentType type) { return exporter.getAggregationTemporality(type); }

        @Override
        public CompletableResultCode forceFlush() { return CompletableResultCode.ofSuccess(); }

        @Override
        public CompletableResultCode shutdown() { return exporter.shutdown(); }
    }
}
