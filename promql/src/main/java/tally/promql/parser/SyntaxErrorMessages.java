package tally.promql.parser;

import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;

/**
 * Words a syntax error like Prometheus's parser: "unexpected X", plus where ("in label matching",
 * "in grouping opts", ...) and what was expected, judged from the rule being parsed and the token before.
 */
final class SyntaxErrorMessages {
    private SyntaxErrorMessages() {}

    static String describe(Parser parser, Token offending) {
        TokenStream tokens = parser.getInputStream();
        int index = offending.getTokenIndex();
        Token previous = index > 0 ? tokens.get(index - 1) : null;
        int prevType = previous == null ? Token.INVALID_TYPE : previous.getType();
        int type = offending.getType();

        if (type == Token.EOF && previous == null) return "no expression found in input";
        if (type == PromQLLexer.BAD_NUMBER) return "bad number or duration syntax: " + TokenNames.quote(offending.getText());

        int parens = 0;
        int braces = 0;
        int brackets = 0;
        for (int i = 0; i < index; i++) {
            switch (tokens.get(i).getType()) {
                case PromQLLexer.LEFT_PAREN -> parens++;
                case PromQLLexer.RIGHT_PAREN -> parens--;
                case PromQLLexer.LEFT_BRACE -> braces++;
                case PromQLLexer.RIGHT_BRACE -> braces--;
                case PromQLLexer.LEFT_BRACKET -> brackets++;
                case PromQLLexer.RIGHT_BRACKET -> brackets--;
                default -> { }
            }
        }
        if (type == Token.EOF && braces > 0) return "unexpected end of input inside braces";
        if (type == PromQLLexer.RIGHT_PAREN && parens <= 0) return "unexpected right parenthesis ')'";
        if (type == PromQLLexer.RIGHT_BRACE && braces <= 0) return "unexpected character: '}'";
        if (type == Token.EOF && parens > 0 && brackets == 0 && !inRule(parser, PromQL.RULE_labelList)) {
            return "unclosed left parenthesis";
        }

        String unexpected = "unexpected " + TokenNames.describe(offending);
        if (inRule(parser, PromQL.RULE_labelMatchers)) {
            return unexpected + " in label matching, expected " + switch (prevType) {
                case PromQLLexer.EQL, PromQLLexer.NEQ, PromQLLexer.EQL_REGEX, PromQLLexer.NEQ_REGEX -> "string";
                case PromQLLexer.LEFT_BRACE, PromQLLexer.COMMA -> "identifier or \"}\"";
                case PromQLLexer.STRING -> "\",\" or \"}\"";
                default -> "label matching operator"; // after a label name
            };
        }
        if (inRule(parser, PromQL.RULE_grouping) || inRule(parser, PromQL.RULE_labelList)) {
            return unexpected + " in grouping opts, expected " + switch (prevType) {
                case PromQLLexer.BY, PromQLLexer.WITHOUT, PromQLLexer.ON, PromQLLexer.IGNORING -> "\"(\"";
                case PromQLLexer.LEFT_PAREN, PromQLLexer.COMMA -> "label";
                default -> "\",\" or \")\"";
            };
        }
        if (prevType == PromQLLexer.AT || inRule(parser, PromQL.RULE_atValue)) return unexpected + " in @, expected timestamp";
        if (prevType == PromQLLexer.OFFSET || inRule(parser, PromQL.RULE_offsetValue)) {
            return unexpected + " in offset, expected number, duration, step(), or range()";
        }
        if (inRule(parser, PromQL.RULE_durationExpr) || prevType == PromQLLexer.LEFT_BRACKET) {
            return unexpected + " in duration expression";
        }
        if (isAggregateOp(prevType) && parser.getContext() instanceof PromQL.AggregateExprContext) {
            return unexpected + " in aggregation";
        }
        return unexpected;
    }

    private static boolean inRule(Parser parser, int ruleIndex) {
        for (ParserRuleContext c = parser.getContext(); c != null; c = c.getParent()) {
            if (c.getRuleIndex() == ruleIndex) return true;
            if (c.getRuleIndex() == PromQL.RULE_expr) return false; // only the innermost construct counts
        }
        return false;
    }

    private static boolean isAggregateOp(int type) {
        return switch (type) {
            case PromQLLexer.SUM, PromQLLexer.AVG, PromQLLexer.COUNT, PromQLLexer.MIN, PromQLLexer.MAX,
                 PromQLLexer.GROUP, PromQLLexer.STDDEV, PromQLLexer.STDVAR, PromQLLexer.TOPK, PromQLLexer.BOTTOMK,
                 PromQLLexer.COUNT_VALUES, PromQLLexer.QUANTILE, PromQLLexer.LIMITK, PromQLLexer.LIMIT_RATIO -> true;
            default -> false;
        };
    }
}
