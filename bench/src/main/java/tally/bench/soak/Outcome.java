package tally.bench.soak;

/**
 * The answer to one request. {@code code}: the HTTP status, or for gRPC the grpc-status + 1000 (so 1014 is
 * UNAVAILABLE), or -1 when no answer came (connection refused or cut: Tally was killed). {@code rejected}: points or
 * records an OTLP 2xx reported in partial_success.
 */
record Outcome(int code, String text, long rejected) {
    boolean acked() {
        return (code >= 200 && code < 300 || code == 1000) && rejected == 0;
    }

    boolean answered2xx() {
        return code >= 200 && code < 300 || code == 1000;
    }

    /** Worth sending again with the same content: no answer, or "retry later" (429, 5xx, gRPC UNAVAILABLE/RESOURCE_EXHAUSTED). */
    boolean retryable() {
        return code < 0 || code == 429 || (code >= 500 && code < 600) || code == 1014 || code == 1008;
    }

    /** The text with label sets, ids and numbers blanked, to group refusals of one kind. */
    String kind() {
        String k = text.replaceAll("\\{[^}]*\\}", "{...}").replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "<uuid>").replaceAll("\\d[\\d,.]*", "N");
        return k.length() > 240 ? k.substring(0, 240) + "..." : k;
    }

    String status() {
        if (code < 0) return "no answer";
        if (code >= 1000) return "gRPC " + (code - 1000);
        return "HTTP " + code;
    }
}
