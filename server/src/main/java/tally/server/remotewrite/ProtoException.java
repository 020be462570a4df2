package tally.server.remotewrite;

/** A malformed protobuf message. */
public final class ProtoException extends Exception {
    public ProtoException(String message) {
        super(message, null, false, false);
    }
}
