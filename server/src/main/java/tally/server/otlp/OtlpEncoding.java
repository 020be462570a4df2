package tally.server.otlp;

import java.util.Locale;

/** The two OTLP/HTTP body encodings, chosen by Content-Type; replies use the request's encoding. */
public enum OtlpEncoding {
    PROTOBUF("application/x-protobuf"),
    JSON("application/json");

    public final String contentType;

    OtlpEncoding(String contentType) { this.contentType = contentType; }

    /** The encoding for a Content-Type header (parameters such as charset ignored), or null when unsupported. */
    public static OtlpEncoding of(String contentType) {
        if (contentType == null) return null;
        int semi = contentType.indexOf(';');
        String mime = (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        return switch (mime) {
            case "application/x-protobuf", "application/protobuf" -> PROTOBUF;
            case "application/json" -> JSON;
            default -> null;
        };
    }
}
