package tally.rules.notify;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The body of {@code POST /api/v2/alerts}: a JSON array of Alertmanager's PostableAlert, byte for byte what
 * Prometheus sends for the same alerts. Prometheus marshals through Alertmanager's generated models, so: keys in the
 * order annotations, endsAt, startsAt, generatorURL, labels; empty annotations and generatorURL left out; label maps
 * with sorted keys; strings escaped as Go's encoding/json does (HTML-safe); times as go-openapi's strfmt.DateTime,
 * RFC 3339 with exactly three fractional digits (milliseconds, truncated), not time.Time's nanoseconds.
 */
final class AlertsJson {
    // strfmt.MarshalFormat is RFC3339Millis; we always write UTC, which Go writes as "Z" too.
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private AlertsJson() {}

    static byte[] encode(List<NotifierAlert> alerts) {
        StringBuilder b = new StringBuilder(256 * alerts.size() + 2);
        b.append('[');
        for (int i = 0; i < alerts.size(); i++) {
            if (i > 0) b.append(',');
            alert(b, alerts.get(i));
        }
        return b.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A time as Prometheus writes it; null (Go's zero time) is not written at all. */
    static String time(Instant t) {
        return TIME.format(t);
    }

    private static void alert(StringBuilder b, NotifierAlert a) {
        b.append('{');
        // Go writes a zero startsAt/endsAt as year 1, which Alertmanager reads as unset; leaving it out says the same.
        boolean comma = false;
        if (!a.annotations().isEmpty()) {
            key(b, "annotations", comma);
            labelSet(b, a.annotations());
            comma = true;
        }
        if (a.endsAt() != null) {
            key(b, "endsAt", comma);
            string(b, time(a.endsAt()));
            comma = true;
        }
        if (a.startsAt() != null) {
            key(b, "startsAt", comma);
            string(b, time(a.startsAt()));
            comma = true;
        }
        if (!a.generatorURL().isEmpty()) {
            key(b, "generatorURL", comma);
            string(b, a.generatorURL());
            comma = true;
        }
        key(b, "labels", comma);
        labelSet(b, a.labels());
        b.append('}');
    }

    private static void key(StringBuilder b, String k, boolean comma) {
        if (comma) b.append(',');
        string(b, k);
        b.append(':');
    }

    private static void labelSet(StringBuilder b, Map<String, String> m) {
        b.append('{');
        boolean comma = false;
        for (Map.Entry<String, String> e : new TreeMap<>(m).entrySet()) { // encoding/json sorts map keys
            key(b, e.getKey(), comma);
            string(b, e.getValue());
            comma = true;
        }
        b.append('}');
    }

    /** A JSON string with encoding/json's escaping: HTML characters and U+2028/9 escaped, lone surrogates replaced. */
    static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        unicodeEscape(b, c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        b.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        b.append('\ufffd'); // Go replaces invalid UTF-8 the same way
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    private static void unicodeEscape(StringBuilder b, char c) {
        b.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
    }
}
