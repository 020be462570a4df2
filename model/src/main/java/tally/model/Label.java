package tally.model;

/** One label: a name and a value. */
public record Label(String name, String value) {}
