package tally.server.otlp;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import tally.server.http.Response;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * OTLP/HTTP replies: Export(Metrics|Logs)ServiceResponse on success, google.rpc.Status on failure, in the request's
 * encoding.
 */
public final class OtlpReplies {
    /** gRPC status codes used in Status bodies. */
    public static final int INVALID_ARGUMENT = 3;
    public static final int NOT_FOUND = 5;
    public static final int RESOURCE_EXHAUSTED = 8;
    public static final int UNIMPLEMENTED = 12;
    public static final int UNAVAILABLE = 14;

    private OtlpReplies() {}

    /** The success message of both transports: partial_success only when something was refused (or said). */
    public static ExportMetricsServiceResponse metricsResponse(long rejectedPoints, String message) {
        ExportMetricsServiceResponse.Builder b = ExportMetricsServiceResponse.newBuilder();
        if (rejectedPoints > 0 || !message.isEmpty()) {
            b.setPartialSuccess(ExportMetricsPartialSuccess.newBuilder().setRejectedDataPoints(rejectedPoints).setErrorMessage(message));
        }
        return b.build();
    }

    public static Response success(OtlpEncoding enc, long rejectedPoints, String message) {
        return ok(enc, metricsResponse(rejectedPoints, message));
    }

    /** ExportLogsServiceResponse; partial_success.rejected_log_records when records were refused. */
    public static Response logsSuccess(OtlpEncoding enc, long rejectedRecords, String message) {
        ExportLogsServiceResponse.Builder b = ExportLogsServiceResponse.newBuilder();
        if (rejectedRecords > 0 || !message.isEmpty()) {
            b.setPartialSuccess(ExportLogsPartialSuccess.newBuilder().setRejectedLogRecords(rejectedRecords).setErrorMessage(message));
        }
        return ok(enc, b.build());
    }

    private static Response ok(OtlpEncoding enc, Message resp) {
        byte[] body = enc == OtlpEncoding.JSON ? OtlpJson.print(resp).getBytes(StandardCharsets.UTF_8) : resp.toByteArray();
        return new Response(HttpResponseStatus.OK, enc.contentType, body);
    }

    /** An error with a google.rpc.Status body (protobuf unless the request was JSON). */
    public static Response status(HttpResponseStatus http, OtlpEncoding enc, int code, String message) {
        if (enc == null) enc = OtlpEncoding.PROTOBUF;
        byte[] body = enc == OtlpEncoding.JSON ? statusJson(code, message) : statusProto(code, message);
        return new Response(http, enc.contentType, body);
    }

    /** google.rpc.Status {int32 code = 1; string message = 2; repeated Any details = 3;} written by hand (no extra dependency). */
    static byte[] statusProto(int code, String message) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(message.length() + 8);
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            if (code != 0) out.writeInt32(1, code);
            if (!message.isEmpty()) out.writeString(2, message);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] statusJson(int code, String message) {
        com.google.gson.JsonObject o = new com.google.gson.JsonObject();
        o.addProperty("code", code);
        o.addProperty("message", message);
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }
}
