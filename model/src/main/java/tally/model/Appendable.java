package tally.model;

/** Something that takes samples. */
public interface Appendable {
    Appender appender();

    /** Why new samples should wait for now, or null when they are taken (asked before each ingest request). */
    default Overload overload() {
        return null;
    }
}
