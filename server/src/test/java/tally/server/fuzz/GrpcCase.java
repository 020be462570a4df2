package tally.server.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One fuzzed OTLP/gRPC call: request headers, the framed body, the DATA frame size it is sent in, and whether the
 * client ends the stream. Saved as a text head and the raw body, like {@link HttpCase}.
 */
record GrpcCase(String path, String contentType, String grpcEncoding, String grpcTimeout, int chunk, boolean endStream, byte[] body) {
    byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String head = "path: " + path + "\ncontent-type: " + nullable(contentType) + "\ngrpc-encoding: " + nullable(grpcEncoding)
                + "\ngrpc-timeout: " + nullable(grpcTimeout) + "\nchunk: " + chunk + "\nend-stream: " + endStream + "\n\n";
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(body);
        return out.toByteArray();
    }

    static GrpcCase parse(byte[] saved) {
        int end = 0;
        while (!(saved[end] == '\n' && saved[end + 1] == '\n')) end++;
        String[] l = new String(saved, 0, end, StandardCharsets.UTF_8).split("\n", -1);
        return new GrpcCase(value(l[0]), orNull(value(l[1])), orNull(value(l[2])), orNull(value(l[3])), Integer.parseInt(value(l[4])),
                Boolean.parseBoolean(value(l[5])), Arrays.copyOfRange(saved, end + 2, saved.length));
    }

    private static String value(String line) {
        return line.substring(line.indexOf(": ") + 2);
    }

    private static String nullable(String s) {
        return s == null ? "<none>" : s;
    }

    private static String orNull(String s) {
        return s.equals("<none>") ? null : s;
    }
}
