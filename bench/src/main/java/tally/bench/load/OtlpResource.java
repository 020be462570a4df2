package tally.bench.load;

/** An OTLP resource (one process) with its attributes and instrumentation scope, shared by its series. */
final class OtlpResource {
    final byte[][] keys;
    final byte[][] values;
    final String scopeName;
    final String scopeVersion;

    OtlpResource(String[] attrs, String scopeName, String scopeVersion) {
        keys = new byte[attrs.length / 2][];
        values = new byte[attrs.length / 2][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = SeriesDef.utf8(attrs[2 * i]);
            values[i] = SeriesDef.utf8(attrs[2 * i + 1]);
        }
        this.scopeName = scopeName;
        this.scopeVersion = scopeVersion;
    }
}
