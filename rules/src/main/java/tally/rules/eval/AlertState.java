package tally.rules.eval;

/** An alert's state, ordered as Prometheus orders them (a rule's state is the highest of its alerts'). */
public enum AlertState {
    UNKNOWN, INACTIVE, PENDING, FIRING;

    /** As the API and the {@code alertstate} label write it. */
    public String apiName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
