package tally.server.events;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;

/** Small builders for OTLP log requests shaped like Claude Code's (scope, body, attributes). */
final class EventLogs {
    static final String SCOPE = "com.anthropic.claude_code.events";
    static final String USER = "u1";

    private EventLogs() {}

    /** A Claude Code event with the attributes every record carries, then {@code kv} (String, Long, Integer, Double, Boolean values). */
    static LogRecord event(String name, long timeMs, String session, long sequence, Object... kv) {
        Object[] all = new Object[kv.length + 8];
        all[0] = "event.name";
        all[1] = name;
        all[2] = "user.id";
        all[3] = USER;
        all[4] = "session.id";
        all[5] = session;
        all[6] = "event.sequence";
        all[7] = sequence;
        System.arraycopy(kv, 0, all, 8, kv.length);
        return record("claude_code." + name, timeMs, all);
    }

    /** A record with exactly these attributes (null values skipped). */
    static LogRecord record(String body, long timeMs, Object... kv) {
        LogRecord.Builder b = LogRecord.newBuilder().setTimeUnixNano(timeMs * 1_000_000L).setObservedTimeUnixNano(timeMs * 1_000_000L)
                .setBody(AnyValue.newBuilder().setStringValue(body));
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] != null) b.addAttributes(KeyValue.newBuilder().setKey((String) kv[i]).setValue(value(kv[i + 1])));
        }
        return b.build();
    }

    static AnyValue value(Object v) {
        AnyValue.Builder a = AnyValue.newBuilder();
        if (v instanceof String s) a.setStringValue(s);
        else if (v instanceof Long l) a.setIntValue(l);
        else if (v instanceof Integer i) a.setIntValue(i);
        else if (v instanceof Double d) a.setDoubleValue(d);
        else if (v instanceof Boolean bool) a.setBoolValue(bool);
        else throw new IllegalArgumentException(v.toString());
        return a.build();
    }

    static ExportLogsServiceRequest request(String scope, LogRecord... records) {
        return request(new String[] {"service.name", "claude-code"}, scope, records);
    }

    static ExportLogsServiceRequest request(String[] resource, String scope, LogRecord... records) {
        Resource.Builder r = Resource.newBuilder();
        for (int i = 0; i < resource.length; i += 2) {
            r.addAttributes(KeyValue.newBuilder().setKey(resource[i]).setValue(AnyValue.newBuilder().setStringValue(resource[i + 1])));
        }
        return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder().setResource(r)
                .addScopeLogs(ScopeLogs.newBuilder().setScope(InstrumentationScope.newBuilder().setName(scope).setVersion("2.1.330"))
                        .addAllLogRecords(java.util.List.of(records)))).build();
    }
}
