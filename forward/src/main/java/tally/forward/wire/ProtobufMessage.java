package tally.forward.wire;

/** The remote-write message a target is sent ({@code protobuf_message}). */
public enum ProtobufMessage {
    /** Remote-write 1.0. */
    V1("prometheus.WriteRequest"),
    /** Remote-write 2.0. */
    V2("io.prometheus.write.v2.Request");

    private final String configName;

    ProtobufMessage(String configName) {
        this.configName = configName;
    }

    /** The name prometheus.yml uses for it. */
    public String configName() { return configName; }

    public static ProtobufMessage fromConfig(String name) {
        for (ProtobufMessage m : values()) if (m.configName.equals(name)) return m;
        throw new IllegalArgumentException("unknown protobuf_message \"" + name + "\" (want prometheus.WriteRequest or io.prometheus.write.v2.Request)");
    }
}
