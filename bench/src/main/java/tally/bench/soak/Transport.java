package tally.bench.soak;

/** The four ways the simulated users send: each user uses exactly one, so its series are checked against one ledger. */
enum Transport {
    REMOTE_WRITE("remote-write 1.0 (snappy protobuf), cumulative counters"),
    OTLP_HTTP("OTLP/HTTP protobuf metrics, delta temporality (Claude Code's default)"),
    OTLP_GRPC("OTLP/gRPC metrics, cumulative temporality (Claude Code with TEMPORALITY_PREFERENCE=cumulative)"),
    OTLP_LOGS("OTLP/HTTP protobuf logs: Claude Code events api_request / tool_result");

    final String what;

    Transport(String what) {
        this.what = what;
    }

    String key() {
        return name().toLowerCase().replace('_', '-');
    }
}
