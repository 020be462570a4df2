package tally.server.events;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import tally.server.otlp.ResourceContext;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One log record of Claude Code's event scope, with what its derived series need: the short event name, the
 * attributes by key, the time to write it at, and the resource and scope its labels come from.
 *
 * @param timeMs the event's time: the record's {@code time_unix_nano} (OTLP's "when the event occurred"; Claude Code
 *               sets it to exactly {@code event.timestamp}), else the {@code event.timestamp} attribute, else
 *               {@code observed_time_unix_nano} (when the SDK saw it), else the arrival time
 */
public record ClaudeCodeEvent(String name, Map<String, AnyValue> attributes, long timeMs, ResourceContext resource,
                              List<String[]> scopeLabels) {
    static final String SESSION_ID = "session.id";
    static final String SEQUENCE = "event.sequence";
    private static final String EVENT_NAME = "event.name";
    private static final String BODY_PREFIX = "claude_code.";
    /** LogRecord.event_name (OTLP 1.5+), newer than the generated classes: read from the unknown fields. */
    private static final int EVENT_NAME_FIELD = 12;

    public static ClaudeCodeEvent of(LogRecord r, ResourceContext resource, List<String[]> scopeLabels, long arrivalMs) {
        Map<String, AnyValue> attrs = new HashMap<>(r.getAttributesCount() * 2);
        for (KeyValue kv : r.getAttributesList()) attrs.put(kv.getKey(), kv.getValue());
        return new ClaudeCodeEvent(eventName(r, attrs.get(EVENT_NAME), true), attrs, time(r, attrs.get("event.timestamp"), arrivalMs),
                resource, scopeLabels);
    }

    /** The event name of a record of any scope: its {@code event.name} attribute, else its event_name field; "" when none. */
    public static String eventName(LogRecord r) {
        AnyValue named = null;
        for (KeyValue kv : r.getAttributesList()) {
            if (kv.getKey().equals(EVENT_NAME)) named = kv.getValue();
        }
        return eventName(r, named, false);
    }

    /**
     * The {@code event.name} attribute, else the LogRecord's event_name field, else (for Claude Code's scope, whose
     * body is {@code claude_code.<event>}) the body without its prefix; "" when none.
     */
    private static String eventName(LogRecord r, AnyValue named, boolean claudeBody) {
        if (named != null && named.getValueCase() == AnyValue.ValueCase.STRING_VALUE && !named.getStringValue().isEmpty()) {
            return named.getStringValue();
        }
        UnknownFieldSet.Field field = r.getUnknownFields().getField(EVENT_NAME_FIELD);
        if (!field.getLengthDelimitedList().isEmpty()) {
            ByteString b = field.getLengthDelimitedList().get(0);
            if (!b.isEmpty()) return b.toStringUtf8();
        }
        AnyValue body = r.getBody();
        if (claudeBody && body.getValueCase() == AnyValue.ValueCase.STRING_VALUE && body.getStringValue().startsWith(BODY_PREFIX)) {
            return body.getStringValue().substring(BODY_PREFIX.length());
        }
        return "";
    }

    private static long time(LogRecord r, AnyValue timestamp, long arrivalMs) {
        if (r.getTimeUnixNano() != 0) return r.getTimeUnixNano() / 1_000_000L;
        if (timestamp != null && timestamp.getValueCase() == AnyValue.ValueCase.STRING_VALUE) {
            try {
                return Instant.parse(timestamp.getStringValue()).toEpochMilli();
            } catch (DateTimeParseException e) {
                // fall through to the SDK's observed time
            }
        }
        if (r.getObservedTimeUnixNano() != 0) return r.getObservedTimeUnixNano() / 1_000_000L;
        return arrivalMs;
    }

    AnyValue attr(String key) {
        return attributes.get(key);
    }

    /** The attribute as a label value, null when absent. */
    String text(String key) {
        return EventValues.text(attributes.get(key));
    }

    /** The session the event's {@code event.sequence} counts in; null when absent or empty. */
    String session() {
        String s = text(SESSION_ID);
        return s == null || s.isEmpty() ? null : s;
    }
}
