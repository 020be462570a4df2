package tally.server.otlp;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * OTLP/JSON: the proto3 JSON mapping (lowerCamelCase or original field names, 64-bit integers as
 * strings or numbers, enums as names or integers) except that trace and span ids are hex, not
 * base64. Hex ids are rewritten to base64 before protobuf's JSON parser sees them.
 */
public final class OtlpJson {
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    private OtlpJson() {}

    public static ExportMetricsServiceRequest parse(byte[] body) throws InvalidProtocolBufferException {
        return merge(body, ExportMetricsServiceRequest.newBuilder()).build();
    }

    public static ExportLogsServiceRequest parseLogs(byte[] body) throws InvalidProtocolBufferException {
        return merge(body, ExportLogsServiceRequest.newBuilder()).build();
    }

    private static <B extends Message.Builder> B merge(byte[] body, B b) throws InvalidProtocolBufferException {
        String text = new String(body, StandardCharsets.UTF_8);
        String tooBig = JsonNumberGuard.problem(text);
        if (tooBig != null) throw new InvalidProtocolBufferException(tooBig);
        if (text.contains("raceId") || text.contains("panId") || text.contains("race_id") || text.contains("pan_id")) {
            try {
                JsonElement tree = JsonParser.parseString(text);
                rewriteIds(tree);
                text = tree.toString();
            } catch (RuntimeException e) {
                throw new InvalidProtocolBufferException("invalid JSON: " + e.getMessage());
            }
        }
        try {
            PARSER.merge(text, b);
        } catch (InvalidProtocolBufferException e) {
            throw e;
        } catch (RuntimeException e) { // gson errors surface as unchecked exceptions
            throw new InvalidProtocolBufferException("invalid JSON: " + e.getMessage());
        }
        return b;
    }

    public static String print(com.google.protobuf.MessageOrBuilder m) {
        try {
            return PRINTER.print(m);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void rewriteIds(JsonElement e) {
        if (e.isJsonArray()) {
            JsonArray a = e.getAsJsonArray();
            for (JsonElement x : a) rewriteIds(x);
        } else if (e.isJsonObject()) {
            JsonObject o = e.getAsJsonObject();
            for (Map.Entry<String, JsonElement> kv : o.entrySet()) {
                String k = kv.getKey();
                boolean idField = k.equals("traceId") || k.equals("spanId") || k.equals("trace_id") || k.equals("span_id");
                JsonElement v = kv.getValue();
                if (idField && v.isJsonPrimitive() && v.getAsJsonPrimitive().isString()) {
                    byte[] raw = hex(v.getAsString());
                    if (raw != null) kv.setValue(new JsonPrimitive(Base64.getEncoder().encodeToString(raw)));
                } else {
                    rewriteIds(v);
                }
            }
        }
    }

    /** Decodes hex, or null when the text is not hex (then it is left for the parser to judge). */
    static byte[] hex(String s) {
        if (s.length() % 2 != 0) return null;
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(s.charAt(2 * i), 16);
            int lo = Character.digit(s.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) return null;
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }
}
