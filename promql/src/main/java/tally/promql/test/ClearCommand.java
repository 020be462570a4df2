package tally.promql.test;

/** {@code clear}: drop all loaded data (a fresh storage). */
public record ClearCommand(int line) implements Command {}
