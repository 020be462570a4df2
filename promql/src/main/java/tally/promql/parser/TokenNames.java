package tally.promql.parser;

import org.antlr.v4.runtime.Token;
import tally.model.LabelNames;

/** Describes tokens in error messages the way Prometheus does ("end of input", {@code identifier "foo"}, {@code <op:+>}). */
final class TokenNames {
    private TokenNames() {}

    static String describe(Token t) {
        int type = t.getType();
        String text = t.getText();
        if (type == Token.EOF) return "end of input";
        return switch (type) {
            case PromQLLexer.IDENTIFIER -> "identifier " + LabelNames.quote(text);
            case PromQLLexer.METRIC_IDENTIFIER -> "metric identifier " + LabelNames.quote(text);
            case PromQLLexer.NUMBER -> "number " + LabelNames.quote(text);
            case PromQLLexer.DURATION -> "duration " + LabelNames.quote(text);
            case PromQLLexer.STRING -> "string " + LabelNames.quote(text.length() > 10 ? text.substring(0, 10) + "..." : text);
            case PromQLLexer.ADD, PromQLLexer.SUB, PromQLLexer.MUL, PromQLLexer.DIV, PromQLLexer.MOD, PromQLLexer.POW,
                 PromQLLexer.EQLC, PromQLLexer.NEQ, PromQLLexer.GTR, PromQLLexer.LSS, PromQLLexer.GTE, PromQLLexer.LTE,
                 PromQLLexer.AND, PromQLLexer.OR, PromQLLexer.UNLESS, PromQLLexer.ATAN2, PromQLLexer.EQL_REGEX,
                 PromQLLexer.NEQ_REGEX, PromQLLexer.EQL -> "<op:" + text + ">";
            case PromQLLexer.SUM, PromQLLexer.AVG, PromQLLexer.COUNT, PromQLLexer.MIN, PromQLLexer.MAX, PromQLLexer.GROUP,
                 PromQLLexer.STDDEV, PromQLLexer.STDVAR, PromQLLexer.TOPK, PromQLLexer.BOTTOMK, PromQLLexer.COUNT_VALUES,
                 PromQLLexer.QUANTILE, PromQLLexer.LIMITK, PromQLLexer.LIMIT_RATIO -> "<aggr:" + text + ">";
            case PromQLLexer.LEFT_PAREN, PromQLLexer.RIGHT_PAREN, PromQLLexer.LEFT_BRACE, PromQLLexer.RIGHT_BRACE,
                 PromQLLexer.LEFT_BRACKET, PromQLLexer.RIGHT_BRACKET, PromQLLexer.COMMA, PromQLLexer.COLON,
                 PromQLLexer.AT -> LabelNames.quote(text);
            default -> "<" + text + ">"; // keywords: by, offset, bool, ...
        };
    }

    static String quote(String s) {
        return LabelNames.quote(s);
    }

    /** Go's %q of a rune: 'x'. */
    static String quoteRune(int codePoint) {
        if (codePoint == '\'') return "'\\''";
        if (codePoint == '\\') return "'\\\\'";
        if (codePoint < 0x20) return String.format("'\\x%02x'", codePoint);
        return "'" + new String(Character.toChars(codePoint)) + "'";
    }
}
