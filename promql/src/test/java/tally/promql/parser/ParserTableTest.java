package tally.promql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tally.promql.ast.Expr;

/** Valid queries and their printed form; invalid queries and a substring of their error. */
class ParserTableTest {

    static Stream<Arguments> valid() {
        return Stream.of(
            // numbers
            ok("1", "1"), ok("1.5", "1.5"), ok(".5", "0.5"), ok("5.", "5"), ok("1e3", "1000"), ok("1E-3", "0.001"),
            ok("0x1F", "31"), ok("0X1f", "31"), ok("010", "8"), ok("089", "89"), ok("Inf", "Inf"), ok("-inf", "-Inf"),
            ok("NaN", "NaN"), ok("nAn", "NaN"), ok("+5", "5"), ok("-5", "-5"), ok("--5", "5"), ok("- 1.5", "-1.5"),
            ok("5m", "300"), ok("1h30m", "5400"), ok("500ms", "0.5"),
            // strings
            ok("\"a\\nb\"", "\"a\\nb\""), ok("'it\\'s'", "\"it's\""), ok("`raw\\n`", "\"raw\\\\n\""),
            ok("\"\\x41\\u00e9\\U0001F600\\101\"", "\"A\u00e9\uD83D\uDE00A\""), ok("\"tab\\there\"", "\"tab\\there\""),
            ok("'\"'", "\"\\\"\""),
            // selectors
            ok("foo", "foo"), ok("foo{}", "foo"), ok("foo{a=\"b\"}", "foo{a=\"b\"}"),
            ok("foo { a = \"b\" , c != 'd', e =~ \"f.*\", g !~ `h` , }", "foo{a=\"b\", c!=\"d\", e=~\"f.*\", g!~\"h\"}"),
            ok("{a=\"b\"}", "{a=\"b\"}"), ok("{__name__=\"foo\"}", "{__name__=\"foo\"}"),
            ok("{__name__=~\"foo.*\", job=\"x\"}", "{__name__=~\"foo.*\", job=\"x\"}"),
            ok("{\"claude_code.token.usage\", type=\"input\"}", "{\"claude_code.token.usage\", type=\"input\"}"),
            ok("{\"foo\"}", "foo"), ok("{type=\"x\", \"my.metric\"}", "{\"my.metric\", type=\"x\"}"),
            ok("{\"@resource.service.name\"=\"claude-code\", \"a.b\"}", "{\"a.b\", \"@resource.service.name\"=\"claude-code\"}"),
            ok("a:b:c{x=\"y\"}", "a:b:c{x=\"y\"}"), ok("foo_bar123", "foo_bar123"), ok("_x", "_x"),
            ok("foo{on=\"a\", by=\"b\", sum=\"c\", bool=\"d\", offset=\"e\", nan=\"f\", inf=\"g\", group_left=\"h\"}",
               "foo{on=\"a\", by=\"b\", sum=\"c\", bool=\"d\", offset=\"e\", nan=\"f\", inf=\"g\", group_left=\"h\"}"),
            ok("sum", "{\"sum\"}"), ok("by", "{\"by\"}"), ok("offset", "{\"offset\"}"), ok("start", "{\"start\"}"),
            ok("min_of{a=\"b\"}", "{\"min_of\", a=\"b\"}"), ok("info", "info"), ok("infinity_metric", "infinity_metric"),
            ok("{a=~\".+\"}", "{a=~\".+\"}"), ok("{a!=\"\"}", "{a!=\"\"}"), ok("{a=\"\", b=\"c\"}", "{a=\"\", b=\"c\"}"),
            // ranges, offsets, @
            ok("foo[5m]", "foo[5m]"), ok("foo[1m0s]", "foo[1m]"), ok("foo[1h0m0s]", "foo[1h]"), ok("foo[90s]", "foo[1m30s]"),
            ok("foo[1d]", "foo[1d]"), ok("foo[2w]", "foo[2w]"), ok("foo[1y]", "foo[1y]"), ok("foo[250ms]", "foo[250ms]"),
            ok("foo[300]", "foo[5m]"), ok("foo[1.5]", "foo[1s500ms]"), ok("foo[5m+1m]", "foo[6m]"), ok("foo[2m*(10+5)]", "foo[30m]"),
            ok("foo[1h/2]", "foo[30m]"), ok("foo[-5m+35m]", "foo[30m]"), ok("foo[max_of(1m, 2m)]", "foo[2m]"),
            ok("foo offset 5m", "foo offset 5m"), ok("foo offset -5m", "foo offset -5m"), ok("foo offset 60", "foo offset 1m"),
            ok("foo offset (2 * 1h)", "foo offset 2h"), ok("foo[5m] offset 1h", "foo[5m] offset 1h"),
            ok("foo OFFSET 1m", "foo offset 1m"), ok("foo @ 1609746000", "foo @ 1609746000"),
            ok("foo @ 1609746000.5", "foo @ 1609746000.5"), ok("foo @ -100", "foo @ -100"), ok("foo @ +100", "foo @ 100"),
            ok("foo @ start()", "foo @ start()"), ok("foo @ end()", "foo @ end()"),
            ok("foo offset 5m @ 100", "foo @ 100 offset 5m"), ok("foo @ 100 offset 5m", "foo @ 100 offset 5m"),
            ok("foo[5m] @ end() offset 1m", "foo[5m] @ end() offset 1m"), ok("foo offset 100 + 2", "foo offset 1m40s + 2"),
            ok("foo offset -2 ^ 2", "foo offset -2s ^ 2"),
            // subqueries
            ok("foo[1h:5m]", "foo[1h:5m]"), ok("foo[1h:]", "foo[1h:]"), ok("rate(foo[5m])[1h:1m]", "rate(foo[5m])[1h:1m]"),
            ok("foo[1h:5m] offset 10m", "foo[1h:5m] offset 10m"), ok("foo[1h:5m] @ 100", "foo[1h:5m] @ 100"),
            ok("(foo + bar)[10m:1m] offset 5m @ end()", "(foo + bar)[10m:1m] @ end() offset 5m"),
            ok("foo offset 5m[10m:1m]", "foo offset 5m[10m:1m]"), ok("max_over_time(rate(a[1m])[5m:])", "max_over_time(rate(a[1m])[5m:])"),
            ok("foo[3600:60]", "foo[1h:1m]"),
            // binary operators: precedence and associativity
            ok("1 + 2 * 3", "1 + 2 * 3"), ok("-2 ^ 2", "-2 ^ 2"), ok("2 ^ 3 ^ 2", "2 ^ 3 ^ 2"), ok("2 ^ -1", "2 ^ -1"),
            ok("a - b - c", "a - b - c"), ok("a or b and c", "a or b and c"), ok("a unless b or c", "a unless b or c"),
            ok("a > bool 1", "a > bool 1"), ok("1 > bool 2", "1 > bool 2"), ok("1 == bool 1", "1 == bool 1"),
            ok("a atan2 b", "a atan2 b"), ok("a % b", "a % b"), ok("a != b", "a != b"), ok("a <= b", "a <= b"),
            ok("a / on(job) b", "a / on (job) b"), ok("a / ignoring(job, instance) b", "a / ignoring (job, instance) b"),
            ok("a * on(x) group_left(y) b", "a * on (x) group_left (y) b"), ok("a * on(x) group_left b", "a * on (x) group_left b"),
            ok("a * ignoring(x) group_right() b", "a * ignoring (x) group_right b"), ok("a * on() b", "a * on () b"),
            ok("a * ignoring() group_left b", "a * ignoring () group_left b"), ok("a and on(x) b", "a and on (x) b"),
            ok("a == bool on(x) b", "a == bool on (x) b"), ok("a + on(\"a.b\", sum) b", "a + on (\"a.b\", sum) b"),
            ok("-a", "-a"), ok("+a", "+a"), ok("-(1)", "-(1)"), ok("- -a", "--a"), ok("-a * b", "-a * b"),
            ok("1 + -a", "1 + -a"), ok("a AND b", "a and b"), ok("(a)", "(a)"), ok("((1 + 2)) * 3", "((1 + 2)) * 3"),
            ok("1 + 2 / (3 * 1)", "1 + 2 / (3 * 1)"),
            // functions
            ok("rate(foo[5m])", "rate(foo[5m])"), ok("time()", "time()"), ok("round(foo)", "round(foo)"),
            ok("round(foo, 0.5)", "round(foo, 0.5)"), ok("hour()", "hour()"), ok("hour(foo)", "hour(foo)"),
            ok("label_replace(up, \"a\", \"$1\", \"b\", \"(.*)\")", "label_replace(up, \"a\", \"$1\", \"b\", \"(.*)\")"),
            ok("label_join(up, \"a\", \",\", \"b\", \"c\", \"d\")", "label_join(up, \"a\", \",\", \"b\", \"c\", \"d\")"),
            ok("vector(0)", "vector(0)"), ok("scalar(sum(up))", "scalar(sum(up))"), ok("histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m])))",
               "histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m])))"),
            ok("clamp_min(deriv(q[15m]), 0) * 3600", "clamp_min(deriv(q[15m]), 0) * 3600"),
            ok("quantile_over_time(0.5, foo[5m])", "quantile_over_time(0.5, foo[5m])"), ok("absent(nonexistent{job=\"x\"})", "absent(nonexistent{job=\"x\"})"),
            ok("info(up, {k=~\".+\"})", "info(up, {k=~\".+\"})"), ok("info(up)", "info(up)"), ok("sort_by_label(up, \"a\", \"b\")", "sort_by_label(up, \"a\", \"b\")"),
            // aggregations
            ok("sum(foo)", "sum(foo)"), ok("sum by (a) (foo)", "sum by (a) (foo)"), ok("sum(foo) by (a)", "sum by (a) (foo)"),
            ok("sum without (a, b) (foo)", "sum without (a, b) (foo)"), ok("sum(foo) without (a,)", "sum without (a) (foo)"),
            ok("sum by () (foo)", "sum(foo)"), ok("sum without () (foo)", "sum without () (foo)"), ok("SUM BY (a) (foo)", "sum by (a) (foo)"),
            ok("topk(5, foo)", "topk(5, foo)"), ok("bottomk by (a) (1, foo)", "bottomk by (a) (1, foo)"),
            ok("quantile(0.9, foo)", "quantile(0.9, foo)"), ok("count_values(\"v\", foo)", "count_values(\"v\", foo)"),
            ok("limitk(2, foo)", "limitk(2, foo)"), ok("limit_ratio(0.5, foo)", "limit_ratio(0.5, foo)"),
            ok("group by (\"user.email\") (foo)", "group by (\"user.email\") (foo)"), ok("count(group by (a) (x))", "count(group by (a) (x))"),
            ok("stddev(foo)", "stddev(foo)"), ok("stdvar(foo)", "stdvar(foo)"), ok("avg(foo)", "avg(foo)"), ok("min(foo)", "min(foo)"),
            ok("max(foo)", "max(foo)"), ok("sum by (on, by, offset, bool, inf) (foo)", "sum by (on, by, offset, bool, inf) (foo)"),
            ok("sum by (a:b) (foo)", "sum by (\"a:b\") (foo)"), ok("topk(scalar(x), foo)", "topk(scalar(x), foo)"),
            // comments and whitespace
            ok("# comment\nfoo # trailing\n + \n\tbar", "foo + bar"), ok("sum(\n  rate(foo[5m])\n)\n", "sum(rate(foo[5m]))"));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
            bad("", "no expression found in input"), bad("# only a comment\n", "no expression found in input"), bad("foo{", "unexpected end of input"), bad("{}", "vector selector must contain at least one non-empty matcher"),
            bad("{a=\"\"}", "vector selector must contain at least one non-empty matcher"),
            bad("{a=~\".*\"}", "vector selector must contain at least one non-empty matcher"),
            bad("{a!~\".+\"}", "vector selector must contain at least one non-empty matcher"),
            bad("foo{a=~\"(\"}", "invalid regular expression"), bad("foo{__name__=\"bar\"}", "metric name must not be set twice: \"foo\" or \"bar\""),
            bad("foo{\"bar\"}", "metric name must not be set twice"), bad("foo{a:b=\"x\"}", "unexpected"),
            bad("foo{a=b}", "unexpected identifier \"b\" in label matching, expected string"), bad("foo{a}", "unexpected"), bad("\"unterminated", "unterminated quoted string"),
            bad("foo & bar", "unexpected character: '&'"), bad("\"\\q\"", "unknown escape sequence U+0071 'q'"), bad("\"\\x4g\"", "illegal character U+0067 'g' in escape sequence"), bad("foo{a=\"b\"", "unexpected end of input inside braces"), bad("foo{a=\"b\" c}", "in label matching, expected \",\" or \"}\""),
            // ranges and modifiers
            bad("foo[5m", "unexpected end of input"), bad("foo[]", "unexpected \"]\""), bad("foo[0s]", "duration must be greater than 0"),
            bad("foo[-5m]", "duration must be greater than 0"), bad("(foo)[5m]", "ranges only allowed for vector selectors"),
            bad("rate(foo[5m])[5m]", "ranges only allowed for vector selectors"), bad("foo[5m][5m]", "ranges only allowed for vector selectors"),
            bad("foo offset 5m[5m]", "no offset modifiers allowed before range"), bad("foo @ 100[5m]", "no @ modifiers allowed before range"),
            bad("foo offset 1m offset 2m", "offset may not be set multiple times"), bad("foo @ 1 @ 2", "@ <timestamp> may not be set multiple times"),
            bad("1 offset 5m", "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery"),
            bad("sum(foo) @ 100", "@ modifier must be preceded by an instant vector selector"), bad("foo @ Inf", "timestamp out of bounds for @ modifier: +Inf"),
            bad("foo @ NaN", "timestamp out of bounds"), bad("foo @ start", "unexpected end of input"), bad("foo @ bar", "unexpected identifier \"bar\" in @, expected timestamp"), bad("foo offset", "unexpected end of input in offset"),
            bad("foo[5m:1m][10m:1m]", "subquery is only allowed on instant vector, got matrix instead"),
            bad("foo[5m][10m:1m]", "subquery is only allowed on instant vector, got matrix instead"),
            bad("\"a\"[5m:1m]", "subquery is only allowed on instant vector, got string instead"),
            bad("foo[1h:0s]", "duration must be greater than 0"), bad("foo[5m/0]", "division by zero"), bad("foo[5M]", "bad number or duration syntax: \"5M\""), bad("foo[5mm]", "bad number or duration syntax"), bad("2.5.", "bad number or duration syntax"),
            bad("foo[5m3h]", "not a valid duration string"), bad("foo[step()]", "not supported"), bad("foo offset step()", "not supported"),
            bad("foo[5m] anchored", "anchored modifier is not supported"), bad("foo smoothed", "smoothed modifier is not supported"),
            // operators
            bad("1 > 2", "comparisons between scalars must use BOOL modifier"), bad("1 + bool 2", "bool modifier can only be used on comparison operators"),
            bad("a + bool b", "bool modifier can only be used on comparison operators"), bad("1 and 1", "set operator \"and\" not allowed in binary scalar expression"),
            bad("a or 1", "set operator \"or\" not allowed in binary scalar expression"), bad("a and on(x) group_left b", "no grouping allowed for \"and\" operation"),
            bad("a unless ignoring(x) group_right(y) b", "no grouping allowed for \"unless\" operation"),
            bad("1 + on(x) a", "vector matching only allowed between instant vectors"),
            bad("a * on(x) group_left(x) b", "label \"x\" must not occur in ON and GROUP clause at once"),
            bad("foo[5m] + 1", "binary expression must contain only scalar and instant vector types"),
            bad("1 + \"a\"", "binary expression must contain only scalar and instant vector types"),
            bad("-foo[5m]", "unary expression only allowed on expressions of type scalar or instant vector, got \"range vector\""),
            bad("-\"a\"", "unary expression only allowed on expressions of type scalar or instant vector, got \"string\""),
            bad("a * group_left b", "unexpected"), bad("a +", "unexpected end of input"), bad("a b", "unexpected identifier \"b\""),
            bad("(a", "unclosed left parenthesis"), bad("a)", "unexpected right parenthesis ')'"), bad("a + fill(0) b", "fill modifiers are not supported"),
            bad("a bool b", "unexpected <bool>"),
            // functions
            bad("foo()", "unknown function with name \"foo\""), bad("rate(foo)", "expected type range vector in call to function \"rate\", got instant vector"),
            bad("rate(foo[5m], 1)", "expected 1 argument(s) in call to \"rate\", got 2"), bad("time(1)", "expected 0 argument(s) in call to \"time\", got 1"),
            bad("round(a, 1, 2)", "expected at most 2 argument(s) in call to \"round\", got 3"),
            bad("label_join(a, \"b\")", "expected at least 3 argument(s) in call to \"label_join\", got 2"),
            bad("label_join(a, \"b\", \",\", 1)", "expected type string in call to function \"label_join\", got scalar"),
            bad("abs(1)", "expected type instant vector in call to function \"abs\", got scalar"),
            bad("rate(foo[5m],)", "trailing commas not allowed in function call args"), bad("sum(foo,)", "trailing commas not allowed in function call args"),
            bad("vector(\"a\")", "expected type scalar in call to function \"vector\", got string"),
            bad("info(up, foo{a=\"b\"})", "expected label selectors only, got vector selector instead"),
            // aggregations
            bad("sum()", "no arguments for aggregate expression provided"), bad("sum(a, b)", "wrong number of arguments for aggregate expression provided, expected 1, got 2"),
            bad("topk(a)", "wrong number of arguments for aggregate expression provided, expected 2, got 1"),
            bad("sum(foo[5m])", "expected type instant vector in aggregation expression, got range vector"),
            bad("topk(\"a\", foo)", "expected type scalar in aggregation parameter, got string"),
            bad("count_values(1, foo)", "expected type string in aggregation parameter, got scalar"),
            bad("quantile(foo, foo)", "expected type scalar in aggregation parameter, got instant vector"),
            bad("sum by (a) (foo) by (b)", "unexpected <by>"), bad("sum by (\"\") (foo)", "invalid label name for grouping: \"\""),
            bad("sum by (a b) (foo)", "unexpected identifier \"b\""), bad("sum by foo", "unexpected identifier \"foo\" in grouping opts, expected \"(\""),
            bad("sum(1)", "expected type instant vector in aggregation expression, got scalar"),
            bad("1e400", "value out of range"), bad("info(up, {a=\"b\"} == 1)", "expected label selectors only"),
            bad("1[5m] anchored", "ranges only allowed for vector selectors"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("valid")
    void parsesAndPrints(String query, String printed) {
        Expr e = PromQLParser.parseExpr(query);
        assertEquals(printed, e.toString());
        Expr again = PromQLParser.parseExpr(e.toString());
        assertEquals(e.toString(), again.toString(), "round trip of the printed form");
        assertEquals(withoutPositions(e), withoutPositions(again), "round trip gives an equal tree");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalid")
    void rejects(String query, String errorPart) {
        ParseException e = assertThrows(ParseException.class, () -> PromQLParser.parseExpr(query));
        assertTrue(e.getMessage().contains(errorPart), () -> "error of " + query + " was: " + e.getMessage());
        assertTrue(e.getMessage().matches("(?s)\\d+:\\d+: parse error: .*"), e.getMessage());
    }

    static Expr withoutPositions(Expr e) {
        return AstPositions.strip(e);
    }

    private static Arguments ok(String query, String printed) { return Arguments.of(query, printed); }

    private static Arguments bad(String query, String errorPart) { return Arguments.of(query, errorPart); }
}
