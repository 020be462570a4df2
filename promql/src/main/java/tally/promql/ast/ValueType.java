package tally.promql.ast;

/** The four PromQL value types, named as the HTTP API names them. */
public enum ValueType {
    SCALAR("scalar"), VECTOR("vector"), MATRIX("matrix"), STRING("string");

    private final String apiName;

    ValueType(String apiName) { this.apiName = apiName; }

    /** "scalar", "vector", "matrix" or "string": the {@code resultType} of the HTTP API. */
    public String apiName() { return apiName; }

    /** The wording Prometheus uses in type errors: "scalar", "instant vector", "range vector", "string". */
    public String documentedName() {
        return switch (this) {
            case SCALAR -> "scalar";
            case VECTOR -> "instant vector";
            case MATRIX -> "range vector";
            case STRING -> "string";
        };
    }
}
