package tally.server.otlp.logs;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import tally.server.events.ClaudeCodeEvent;
import tally.server.events.ClaudeCodeEvents;
import tally.server.ingest.IngestBatch;
import tally.server.metrics.ServerMetrics;
import tally.server.otlp.AttrList;
import tally.server.otlp.LabelNamer;
import tally.server.ingest.IngestOutcome;
import tally.server.otlp.OtlpLogsExport;
import tally.server.otlp.OtlpLogsHandler;
import tally.server.otlp.ResourceContext;
import tally.server.otlp.SeriesLabeler;
import tally.server.otlp.TranslationSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * OTLP logs, whatever the transport: every record is accepted and counted by scope and event name; the records of
 * Claude Code's event scope become derived series ({@link ClaudeCodeEvents}). Tally keeps no log lines. Decoded with
 * the generated classes: logs are a few KiB a second per session, nothing like the metrics path's volume.
 */
public final class OtlpLogsIngest implements OtlpLogsExport {
    public static final String CLAUDE_CODE_SCOPE = "com.anthropic.claude_code.events";

    private final ClaudeCodeEvents events;
    private final TranslationSettings settings;
    private final LabelNamer labelNamer;
    private final LogRecordCounts counts;
    private final ServerMetrics metrics;
    private final LongSupplier clock;

    public OtlpLogsIngest(ClaudeCodeEvents events, TranslationSettings settings, LabelNamer labelNamer, ServerMetrics metrics,
                          LongSupplier clock) {
        this.events = events;
        this.settings = settings;
        this.labelNamer = labelNamer;
        this.counts = new LogRecordCounts(metrics.registry);
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public IngestOutcome export(byte[] protobuf) {
        ExportLogsServiceRequest request;
        try {
            request = ExportLogsServiceRequest.parseFrom(protobuf);
        } catch (InvalidProtocolBufferException e) {
            return IngestOutcome.badData("cannot decode OTLP protobuf body: " + e.getMessage());
        }
        return export(request);
    }

    @Override
    public IngestOutcome export(ExportLogsServiceRequest request) {
        List<ClaudeCodeEvent> claudeCode = claudeCodeEvents(request);
        if (claudeCode.isEmpty()) return IngestOutcome.accepted(0, "");
        ClaudeCodeEvents.Result result;
        try {
            result = events.ingest(claudeCode);
        } catch (ClaudeCodeEvents.StorageFailure e) {
            return IngestOutcome.overloaded(e.getMessage(), "5");
        }
        IngestBatch batch = result.batch();
        String protocol = OtlpLogsHandler.PROTOCOL;
        metrics.samplesIngested.labels(protocol).add(batch.accepted());
        for (Map.Entry<String, IngestBatch.Refusal> r : batch.refusals().entrySet()) {
            metrics.samplesRejected.labels(protocol, r.getKey()).add(r.getValue().count);
        }
        return IngestOutcome.accepted(result.rejectedRecords(), result.message());
    }

    /** Counts every record and returns those of Claude Code's event scope, with their resource and scope labels. */
    private List<ClaudeCodeEvent> claudeCodeEvents(ExportLogsServiceRequest request) {
        long now = clock.getAsLong();
        List<ClaudeCodeEvent> out = new ArrayList<>();
        SeriesLabeler labeler = new SeriesLabeler(labelNamer);
        for (ResourceLogs rl : request.getResourceLogsList()) {
            ResourceContext resource = null;
            for (ScopeLogs sl : rl.getScopeLogsList()) {
                String scope = sl.getScope().getName();
                boolean claude = CLAUDE_CODE_SCOPE.equals(scope);
                List<String[]> scopeLabels = null;
                if (claude) {
                    if (resource == null) resource = new ResourceContext(new AttrList().addAll(rl.getResource().getAttributesList()),
                            settings, labelNamer);
                    scopeLabels = labeler.scopeLabels(scope, sl.getScope().getVersion(), sl.getSchemaUrl(),
                            new AttrList().addAll(sl.getScope().getAttributesList()), settings);
                }
                for (LogRecord r : sl.getLogRecordsList()) {
                    if (claude) {
                        ClaudeCodeEvent e = ClaudeCodeEvent.of(r, resource, scopeLabels, now);
                        counts.received(scope, e.name());
                        out.add(e);
                    } else {
                        counts.received(scope, ClaudeCodeEvent.eventName(r));
                    }
                }
            }
        }
        return out;
    }
}
