package tally.server.fuzz;

import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import tally.server.grpc.H2Client;
import tally.server.otlp.Otlp;
import tally.server.testing.TestServer;

import java.util.Set;

/**
 * The client side of the gRPC fuzz target: one HTTP/2 connection per server, each {@link GrpcCase} sent as one call
 * and its reply checked, and a known-good export every 25 calls on the same connection.
 */
final class GrpcCalls implements AutoCloseable {
    /** grpc-status codes: OK, INVALID_ARGUMENT, RESOURCE_EXHAUSTED, UNIMPLEMENTED; INTERNAL only for broken framing. */
    private static final Set<Integer> ALLOWED = Set.of(0, 3, 8, 12, 13);

    private TestServer server;
    private H2Client client;
    private long calls;
    private long canaryT = SyntheticOtlp.T0_MS + 7_200_000L;

    String send(TestServer s, GrpcCase c) throws Exception {
        if (s != server || client == null || !client.isOpen()) {
            close();
            server = s;
            client = new H2Client(s.grpcPort());
        }
        String outcome = check(c, call(c));
        if (++calls % 25 == 0) canary();
        if (!client.isOpen()) throw new AssertionError("the server closed the HTTP/2 connection after " + outcome);
        return outcome;
    }

    private H2Client.Reply call(GrpcCase c) throws Exception {
        Http2Headers h = H2Client.grpcHeaders(c.path(), "content-type", c.contentType(), "grpc-encoding", c.grpcEncoding(),
                "grpc-timeout", c.grpcTimeout());
        if (c.endStream()) return client.call(h, c.body(), c.chunk());
        H2Client.Call call = client.open(h, false);
        if (c.body().length > 0) call.data(c.body(), false);
        return call.await();
    }

    private static String check(GrpcCase c, H2Client.Reply r) {
        if (r.wasReset()) {
            if (r.resetCode() == Http2Error.CANCEL.code() && (c.grpcTimeout() != null || !c.endStream())) return "reset CANCEL at the deadline";
            throw new AssertionError("stream reset with code " + r.resetCode() + " (headers " + r.headers() + ")");
        }
        Integer status = r.grpcStatus();
        // an unfinished request may be refused early (grpc's "early server closure": unknown method, a prefix announcing
        // too much, a second message) but never succeed: there is no whole message to export
        if (!c.endStream() && status != null && status == 0) throw new AssertionError("an unfinished request was answered OK");
        if (status == null) {
            String http = r.status();
            if (("415".equals(http) || "405".equals(http)) && (c.contentType() == null || !c.contentType().startsWith("application/grpc"))) {
                if (r.data().length == 0) throw new AssertionError("HTTP " + http + " without a message");
                return "HTTP " + http + " (not a gRPC request)";
            }
            throw new AssertionError("no grpc-status; HTTP " + http + ", reset " + r.resetCode());
        }
        String message = r.grpcMessage();
        if (!ALLOWED.contains(status)) throw new AssertionError("grpc-status " + status + ": " + message);
        if (status == 13 && message.startsWith("internal error")) throw new AssertionError("INTERNAL from a failure: " + message);
        if (status != 0 && message.isBlank()) throw new AssertionError("grpc-status " + status + " without a message");
        if (message.startsWith("unknown method")) message = "unknown method"; // the path is fuzzed: one name for all
        return "grpc-status " + status + (status == 0 ? "" : " " + Replies.reason(message));
    }

    private void canary() throws Exception {
        H2Client.Reply ok = client.call(H2Client.METRICS, H2Client.frame(false, Otlp.gauge("fuzz_grpc_canary", canaryT, calls)));
        canaryT += 1000;
        if (ok.grpcStatus() == null || ok.grpcStatus() != 0) {
            throw new AssertionError("known-good gRPC export answered " + ok.grpcStatus() + " " + ok.grpcMessage());
        }
    }

    @Override
    public void close() {
        if (client != null) client.close();
        client = null;
    }
}
