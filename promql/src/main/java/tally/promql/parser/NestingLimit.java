package tally.promql.parser;

import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;
import tally.promql.ast.PositionRange;

/**
 * Refuses a query whose syntax tree could be deeper than {@link #MAX} before anything recursive reads it. The parser,
 * the type checker, the printer and the engine all walk the tree recursively on threads with a fixed stack; without
 * a limit a query of a few KiB ({@code ----...-x}, a thousand nested brackets) overflowed a stack on the way, and
 * not every walk caught that (HTTP 500). Measured on the tokens, so the check cannot overflow itself: the deepest
 * bracket nesting plus the number of operators and postfix modifiers (each can add a level: {@code a+b+c} is
 * left-deep, {@code x[1m:][1m:]} nests subqueries). Real queries stay far below it; Prometheus's table-driven parser
 * has no such limit, so this refusal is Tally's own.
 */
final class NestingLimit {
    static final int MAX = 256;

    private NestingLimit() {}

    /** @throws ParseException "expression nested too deeply" at the token where the measure passes {@link #MAX} */
    static void check(String query) {
        scan(query, true);
    }

    /** The measure: deepest bracket nesting plus operators and modifiers. */
    static int measure(String query) {
        return scan(query, false);
    }

    private static int scan(String query, boolean enforce) {
        PromQLLexer lexer = new PromQLLexer(CharStreams.fromString(query));
        lexer.removeErrorListeners(); // lexer errors are reported by the parse itself, with their own positions
        int depth = 0, maxDepth = 0, operators = 0;
        for (Token t = lexer.nextToken(); t.getType() != Token.EOF; t = lexer.nextToken()) {
            switch (t.getType()) {
                case PromQLLexer.LEFT_PAREN, PromQLLexer.LEFT_BRACE -> maxDepth = Math.max(maxDepth, ++depth);
                case PromQLLexer.RIGHT_PAREN, PromQLLexer.RIGHT_BRACE -> depth = Math.max(0, depth - 1);
                case PromQLLexer.ADD, PromQLLexer.SUB, PromQLLexer.MUL, PromQLLexer.DIV, PromQLLexer.MOD, PromQLLexer.POW,
                        PromQLLexer.ATAN2, PromQLLexer.EQLC, PromQLLexer.NEQ, PromQLLexer.GTR, PromQLLexer.LSS, PromQLLexer.GTE,
                        PromQLLexer.LTE, PromQLLexer.TRIM_UPPER, PromQLLexer.TRIM_LOWER, PromQLLexer.AND, PromQLLexer.OR,
                        PromQLLexer.UNLESS, PromQLLexer.OFFSET, PromQLLexer.AT, PromQLLexer.LEFT_BRACKET, PromQLLexer.ANCHORED,
                        PromQLLexer.SMOOTHED -> operators++;
                default -> { }
            }
            if (enforce && maxDepth + operators > MAX) {
                throw new ParseException(query, new PositionRange(t.getStartIndex(), t.getStopIndex() + 1),
                        "expression nested too deeply (more than " + MAX + " levels of brackets and operators)");
            }
        }
        return maxDepth + operators;
    }
}
