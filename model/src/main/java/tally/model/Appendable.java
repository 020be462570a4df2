package tally.model;

/** Something that takes samples. */
public interface Appendable {
    Appender appender();
}
