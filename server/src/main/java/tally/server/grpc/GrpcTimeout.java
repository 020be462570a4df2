package tally.server.grpc;

/** The grpc-timeout request header (at most 8 digits and a unit: H M S m u n) in milliseconds. */
final class GrpcTimeout {
    private GrpcTimeout() {}

    /** -1 when absent or malformed (then the call has no deadline, as grpc's PROTOCOL-HTTP2 says). */
    static long millis(CharSequence header) {
        if (header == null) return -1;
        String s = header.toString().trim();
        if (s.length() < 2 || s.length() > 9) return -1;
        long n;
        try {
            n = Long.parseLong(s.substring(0, s.length() - 1));
        } catch (NumberFormatException e) {
            return -1;
        }
        if (n < 0) return -1;
        return switch (s.charAt(s.length() - 1)) {
            case 'H' -> n * 3_600_000L;
            case 'M' -> n * 60_000L;
            case 'S' -> n * 1000L;
            case 'm' -> n;
            case 'u' -> Math.max(1, n / 1000);
            case 'n' -> Math.max(1, n / 1_000_000);
            default -> -1;
        };
    }
}
