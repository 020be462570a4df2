package tally.promql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tally.model.MatchType;
import tally.model.Matcher;
import tally.promql.ast.AggregateExpr;
import tally.promql.ast.AggregateOp;
import tally.promql.ast.AtModifier;
import tally.promql.ast.BinaryExpr;
import tally.promql.ast.BinaryOp;
import tally.promql.ast.Call;
import tally.promql.ast.Expr;
import tally.promql.ast.MatrixSelector;
import tally.promql.ast.NumberLiteral;
import tally.promql.ast.PositionRange;
import tally.promql.ast.StringLiteral;
import tally.promql.ast.SubqueryExpr;
import tally.promql.ast.UnaryExpr;
import tally.promql.ast.ValueType;
import tally.promql.ast.VectorMatching;
import tally.promql.ast.VectorSelector;

/** The shape of the trees the parser builds, the helper entry points and error positions. */
class ParserApiTest {

    /**
     * Found by fuzzing the parser: a selector with its name inside the braces and another __name__ matcher printed as
     * {@code c{__name__=~"..."}}, which does not parse ("metric name must not be set twice"), so /api/v1/format_query
     * returned an expression the API then refused.
     */
    @Test
    void aSelectorWithTwoNameMatchersPrintsToTextThatParsesAgain() {
        for (String q : List.of("{__name__=~\"claude_code_token.*\",\"c\"}",
                "count(group by (\"user.email\")({\"claunt\", \"@resource.serviude_code.session.count\", \"@resource.service.name\"=\"claude-code\"}))")) {
            String printed = PromQLParser.parseExpr(q).toString();
            assertEquals(printed, PromQLParser.parseExpr(printed).toString(), q);
        }
        assertEquals("{\"c\", __name__=~\"claude_code_token.*\"}", PromQLParser.parseExpr("{__name__=~\"claude_code_token.*\",\"c\"}").toString());
        assertEquals("up{job=\"a\"}", PromQLParser.parseExpr("{\"up\", job=\"a\"}").toString()); // one name: still outside
    }

    /** Found by fuzzing: the digits overflowed Long.parseLong and its "For input string" became the message. */
    @Test
    void aDurationWithTooManyDigitsIsOutOfRange() {
        ParseException e = assertThrows(ParseException.class,
                () -> PromQLParser.parseExpr("idelta(claude_quota_used_percent[10101010101010101010101010101010m])"));
        assertEquals("duration out of range", e.reason());
        assertEquals("duration out of range", assertThrows(ParseException.class,
                () -> PromQLParser.parseDuration("99999999999999999999s")).reason());
    }

    @Test
    void selectorHoldsNameMatcherFirstAndModifiers() {
        VectorSelector vs = (VectorSelector) PromQLParser.parseExpr("foo{a=~\"x|y\"} offset -5m @ 1.5");
        assertEquals("foo", vs.name());
        assertEquals(List.of(Matcher.metricName("foo"), Matcher.of(MatchType.REGEX, "a", "x|y")), vs.matchers());
        assertEquals(-300_000, vs.offsetMs());
        assertEquals(AtModifier.at(1500), vs.at());
        assertEquals(new PositionRange(0, 30), vs.pos());
    }

    @Test
    void quotedNameBecomesTheName() {
        VectorSelector vs = (VectorSelector) PromQLParser.parseExpr("{\"claude_code.token.usage\", type=\"input\"}");
        assertEquals("claude_code.token.usage", vs.name());
        assertEquals(List.of(Matcher.metricName("claude_code.token.usage"), Matcher.equal("type", "input")), vs.matchers());
        VectorSelector braces = (VectorSelector) PromQLParser.parseExpr("{__name__=\"up\"}");
        assertNull(braces.name());
    }

    @Test
    void matrixSubqueryAndAt() {
        MatrixSelector m = (MatrixSelector) PromQLParser.parseExpr("rate_total[5m] @ end() offset 1m");
        assertEquals(300_000, m.rangeMs());
        assertEquals(60_000, m.selector().offsetMs());
        assertEquals(AtModifier.END, m.selector().at());
        SubqueryExpr s = (SubqueryExpr) PromQLParser.parseExpr("sum(x)[1h:]  @ start()");
        assertEquals(3_600_000, s.rangeMs());
        assertEquals(0, s.stepMs());
        assertEquals(AtModifier.START, s.at());
        assertEquals(ValueType.MATRIX, s.type());
    }

    @Test
    void binaryMatchingIsSetOnlyBetweenVectors() {
        BinaryExpr vv = (BinaryExpr) PromQLParser.parseExpr("a + b");
        assertEquals(VectorMatching.defaults(BinaryOp.ADD), vv.matching());
        BinaryExpr set = (BinaryExpr) PromQLParser.parseExpr("a and b");
        assertEquals(VectorMatching.Cardinality.MANY_TO_MANY, set.matching().card());
        BinaryExpr grouped = (BinaryExpr) PromQLParser.parseExpr("a / on(x) group_right(y, z) b");
        assertEquals(new VectorMatching(VectorMatching.Cardinality.ONE_TO_MANY, List.of("x"), true, List.of("y", "z")), grouped.matching());
        BinaryExpr vs = (BinaryExpr) PromQLParser.parseExpr("a > bool 1");
        assertNull(vs.matching());
        assertTrue(vs.returnBool());
        BinaryExpr ss = (BinaryExpr) PromQLParser.parseExpr("1 + 2");
        assertNull(ss.matching());
        assertEquals(ValueType.SCALAR, ss.type());
    }

    @Test
    void precedenceAndAssociativity() {
        // -2 ^ 2 is -(2 ^ 2); 2 ^ 3 ^ 2 is 2 ^ (3 ^ 2); a - b - c is (a - b) - c
        UnaryExpr neg = (UnaryExpr) PromQLParser.parseExpr("-2 ^ 2");
        assertEquals(BinaryOp.POW, ((BinaryExpr) neg.expr()).op());
        BinaryExpr pow = (BinaryExpr) PromQLParser.parseExpr("2 ^ 3 ^ 2");
        assertInstanceOf(BinaryExpr.class, pow.rhs());
        BinaryExpr sub = (BinaryExpr) PromQLParser.parseExpr("a - b - c");
        assertInstanceOf(BinaryExpr.class, sub.lhs());
        BinaryExpr mixed = (BinaryExpr) PromQLParser.parseExpr("a or b unless c > d + e * f");
        assertEquals(BinaryOp.OR, mixed.op());
        assertEquals(BinaryOp.UNLESS, ((BinaryExpr) mixed.rhs()).op());
        assertEquals(new NumberLiteral(-1, new PositionRange(0, 2)), PromQLParser.parseExpr("-1"));
    }

    @Test
    void callsAndAggregations() {
        Call c = (Call) PromQLParser.parseExpr("label_replace(up, \"dst\", \"$1\", \"src\", \"(.*)\")");
        assertEquals("label_replace", c.function().name());
        assertEquals(new StringLiteral("(.*)", new PositionRange(38, 44)), c.args().get(4));
        AggregateExpr a = (AggregateExpr) PromQLParser.parseExpr("topk(3, x) without (a)");
        assertEquals(AggregateOp.TOPK, a.op());
        assertEquals(3.0, ((NumberLiteral) a.param()).value());
        assertTrue(a.without());
        assertEquals(List.of("a"), a.grouping());
        Expr e = PromQLParser.parseExpr("count_values by (x) (\"value\", y)");
        assertEquals("value", ((StringLiteral) ((AggregateExpr) e).param()).value());
    }

    @Test
    void seriesSelectors() {
        assertEquals(List.of(Matcher.metricName("up")), PromQLParser.parseSeriesSelector("up"));
        assertEquals(List.of(Matcher.equal("job", "x")), PromQLParser.parseSeriesSelector("{job=\"x\"}"));
        assertEquals(List.of(Matcher.metricName("utf8.name")), PromQLParser.parseSeriesSelector("{\"utf8.name\"}"));
        assertEquals(List.of(Matcher.metricName("a"), Matcher.of(MatchType.NOT_EQUAL, "b", "")),
                PromQLParser.parseSeriesSelector(" a{b!=''} "));
        assertEquals(List.of(Matcher.equal("a", "")), PromQLParser.parseSeriesSelector("{a=\"\"}"));
        assertThrows(ParseException.class, () -> PromQLParser.parseSeriesSelector("up + 1"));
        assertThrows(ParseException.class, () -> PromQLParser.parseSeriesSelector("rate(up[5m])"));
        assertThrows(ParseException.class, () -> PromQLParser.parseSeriesSelector(""));
    }

    @Test
    void durations() {
        assertEquals(300_000, PromQLParser.parseDuration("5m"));
        assertEquals(5_400_000, PromQLParser.parseDuration("1h30m"));
        assertEquals(60_000, PromQLParser.parseDuration("1m0s"));
        assertEquals(90_000, PromQLParser.parseDuration("90s"));
        assertEquals(1_500, PromQLParser.parseDuration("1s500ms"));
        assertEquals(0, PromQLParser.parseDuration("0"));
        for (String bad : new String[] {"", "5", "5M", "1m1h", "-5m", "1.5h", "abc"}) {
            assertThrows(ParseException.class, () -> PromQLParser.parseDuration(bad), bad);
        }
    }

    @Test
    void errorsCarryPositions() {
        ParseException e = assertThrows(ParseException.class, () -> PromQLParser.parseExpr("sum(rate(foo))"));
        assertEquals(new PositionRange(9, 12), e.position());
        assertEquals("1:10: parse error: expected type range vector in call to function \"rate\", got instant vector", e.getMessage());
        ParseException eof = assertThrows(ParseException.class, () -> PromQLParser.parseExpr("foo +\n"));
        assertEquals("2:1: parse error: unexpected end of input", eof.getMessage());
        ParseException multi = assertThrows(ParseException.class, () -> PromQLParser.parseExpr("a +\n  b c"));
        assertEquals("2:5: parse error: unexpected identifier \"c\"", multi.getMessage());
        assertEquals("unexpected identifier \"c\"", multi.reason());
    }

    @Test
    void deepNestingIsAnErrorNotACrash() {
        String deep = "(".repeat(20_000) + "1" + ")".repeat(20_000);
        assertThrows(ParseException.class, () -> PromQLParser.parseExpr(deep));
        String ok = "(".repeat(200) + "1" + ")".repeat(200);
        assertEquals(ok, PromQLParser.parseExpr(ok).toString());
    }
}
