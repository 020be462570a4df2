package tally.promql.parser;

import java.util.List;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;
import tally.model.Matcher;
import tally.promql.ast.Durations;
import tally.promql.ast.Expr;
import tally.promql.ast.PositionRange;
import tally.promql.ast.VectorSelector;

/** Entry points: PromQL text to Tally's syntax tree, series selectors for {@code match[]}, durations. */
public final class PromQLParser {
    private PromQLParser() {}

    /** Parses and type-checks a PromQL expression. @throws ParseException with Prometheus's wording */
    public static Expr parseExpr(String query) {
        NestingLimit.check(query);
        try {
            PromQL parser = newParser(query);
            PromQL.QueryContext tree = parseTwoStage(parser, query, () -> parser.query());
            return new AstBuilder(query).build(tree.expr());
        } catch (StackOverflowError tooDeep) { // a last resort: NestingLimit keeps queries far from it
            throw new ParseException(query, new PositionRange(0, query.length()), "expression nested too deeply");
        }
    }

    /**
     * Parses a series selector such as {@code up}, {@code {job="x"}} or {@code {"utf8.name"}} and returns
     * all its matchers (the name as an equality matcher on {@code __name__}). Like Prometheus's
     * ParseMetricSelector it accepts selectors that match everything ({@code {a=""}}); the HTTP API
     * rejects those itself ("match[] must contain at least one non-empty matcher").
     */
    public static List<Matcher> parseSeriesSelector(String s) {
        PromQL parser = newParser(s);
        PromQL.SeriesSelectorContext tree = parseTwoStage(parser, s, () -> parser.seriesSelector());
        VectorSelector vs = new AstBuilder(s).selector(tree.vectorSelector(), true);
        return vs.matchers();
    }

    /** Parses a Prometheus duration ("5m", "1h30m", "1m0s", "90s"). @throws ParseException when malformed */
    public static long parseDuration(String s) {
        try {
            return Durations.parseMillis(s);
        } catch (IllegalArgumentException | ArithmeticException e) {
            String reason = e instanceof ArithmeticException ? "duration out of range" : e.getMessage();
            throw new ParseException(null, new PositionRange(0, s.length()), reason);
        }
    }

    private static PromQL newParser(String query) {
        PromQLLexer lexer = new PromQLLexer(CharStreams.fromString(query));
        lexer.removeErrorListeners();
        lexer.addErrorListener(new LexerErrors(query));
        PromQL parser = new PromQL(new CommonTokenStream(lexer));
        parser.removeErrorListeners();
        return parser;
    }

    /**
     * The fast SLL pass succeeds for practically every valid query; only when it fails is the query
     * parsed again with full LL, which either succeeds (a rare ambiguity) or reports the real error.
     */
    private static <T extends ParserRuleContext> T parseTwoStage(PromQL parser, String query,
                                                                 java.util.function.Supplier<T> rule) {
        parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
        parser.setErrorHandler(new BailErrorStrategy());
        try {
            return rule.get();
        } catch (ParseCancellationException sllFailed) {
            parser.getTokenStream().seek(0);
            parser.reset();
            parser.getInterpreter().setPredictionMode(PredictionMode.LL);
            parser.setErrorHandler(new DefaultErrorStrategy());
            parser.addErrorListener(new SyntaxErrors(query));
            return rule.get();
        }
    }

    /** Turns the first syntax error into a ParseException naming the offending token. */
    private static final class SyntaxErrors extends BaseErrorListener {
        private final String query;

        SyntaxErrors(String query) { this.query = query; }

        @Override
        public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int charPositionInLine,
                                String msg, RecognitionException e) {
            Token t = (Token) offendingSymbol;
            int start = t.getType() == Token.EOF ? query.length() : t.getStartIndex();
            int end = t.getType() == Token.EOF ? query.length() : t.getStopIndex() + 1;
            String reason = SyntaxErrorMessages.describe((org.antlr.v4.runtime.Parser) recognizer, t);
            throw new ParseException(query, new PositionRange(start, end), reason);
        }
    }

    /** Lexer errors: an unterminated string or a character PromQL has no use for. */
    private static final class LexerErrors extends BaseErrorListener {
        private final String query;

        LexerErrors(String query) { this.query = query; }

        @Override
        public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int charPositionInLine,
                                String msg, RecognitionException e) {
            PromQLLexer lexer = (PromQLLexer) recognizer;
            int start = lexer._tokenStartCharIndex;
            char c = start < query.length() ? query.charAt(start) : ' ';
            String reason;
            if (c == '"' || c == '\'' || c == '`') {
                reason = "unterminated quoted string";
            } else if (c == '!' || c == '=') {
                reason = "unexpected character after '" + c + "'";
            } else {
                reason = "unexpected character: " + TokenNames.quoteRune(query.codePointAt(start));
            }
            throw new ParseException(query, new PositionRange(start, start + 1), reason);
        }
    }
}
