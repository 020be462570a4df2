package tally.promql.test;

/** One command of a test script: {@link LoadCommand}, {@link ClearCommand} or {@link EvalCommand}. */
public sealed interface Command permits LoadCommand, ClearCommand, EvalCommand {
    /** 1-based line of the command's header in its file. */
    int line();
}
