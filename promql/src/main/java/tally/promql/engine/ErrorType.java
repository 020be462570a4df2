package tally.promql.engine;

/** Error classes as the Prometheus HTTP API names them in {@code errorType}. */
public enum ErrorType {
    BAD_DATA("bad_data"), EXECUTION("execution"), TIMEOUT("timeout"), CANCELED("canceled");

    private final String apiName;

    ErrorType(String apiName) { this.apiName = apiName; }

    public String apiName() { return apiName; }
}
