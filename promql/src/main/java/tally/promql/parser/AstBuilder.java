package tally.promql.parser;

import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;
import tally.model.Labels;
import tally.model.MatchType;
import tally.model.Matcher;
import tally.promql.ast.AggregateExpr;
import tally.promql.ast.AggregateOp;
import tally.promql.ast.AtModifier;
import tally.promql.ast.BinaryExpr;
import tally.promql.ast.BinaryOp;
import tally.promql.ast.Call;
import tally.promql.ast.Durations;
import tally.promql.ast.Expr;
import tally.promql.ast.FunctionSignature;
import tally.promql.ast.Functions;
import tally.promql.ast.MatrixSelector;
import tally.promql.ast.NumberLiteral;
import tally.promql.ast.ParenExpr;
import tally.promql.ast.PositionRange;
import tally.promql.ast.StringLiteral;
import tally.promql.ast.SubqueryExpr;
import tally.promql.ast.UnaryExpr;
import tally.promql.ast.ValueType;
import tally.promql.ast.VectorMatching;
import tally.promql.ast.VectorSelector;

/**
 * Builds the immutable AST from ANTLR's parse tree in one bottom-up pass and applies Prometheus's
 * semantic checks (types, argument counts, modifiers) on the way, with Prometheus's messages.
 */
final class AstBuilder {
    /** Experimental functions of Prometheus 3.x that Tally's function table does not have (yet). */
    private static final java.util.Set<String> PROMETHEUS_ONLY_FUNCTIONS = java.util.Set.of(
            "step", "range", "start", "end", "min_of", "max_of", "histogram_quantiles", "start_timestamp");

    private final String query;

    AstBuilder(String query) { this.query = query; }

    Expr build(PromQL.ExprContext ctx) {
        if (ctx instanceof PromQL.SelectorExprContext c) return selector(c.vectorSelector(), false);
        if (ctx instanceof PromQL.NumberExprContext c) return numberLiteral(c.getStart(), pos(c));
        if (ctx instanceof PromQL.StringExprContext c) return new StringLiteral(unquote(c.STRING().getSymbol()), pos(c));
        if (ctx instanceof PromQL.ParenExprContext c) return new ParenExpr(build(c.expr()), pos(c));
        if (ctx instanceof PromQL.BinaryExprContext c) return binary(c);
        if (ctx instanceof PromQL.UnaryExprContext c) return unary(c);
        if (ctx instanceof PromQL.CallExprContext c) return call(c);
        if (ctx instanceof PromQL.AggregateExprContext c) return aggregate(c);
        if (ctx instanceof PromQL.MatrixExprContext c) return matrix(c);
        if (ctx instanceof PromQL.SubqueryExprContext c) return subquery(c);
        if (ctx instanceof PromQL.OffsetExprContext c) return offset(c);
        if (ctx instanceof PromQL.AtExprContext c) return at(c);
        if (ctx instanceof PromQL.RangeModifierExprContext c) {
            build(c.expr()); // errors in the operand come first
            throw error(c.getStop(), c.getStop().getText().toLowerCase(java.util.Locale.ROOT)
                    + " modifier is not supported");
        }
        throw new IllegalStateException("unhandled parse tree node " + ctx.getClass().getSimpleName());
    }

    // ---- selectors -------------------------------------------------------------------------------

    VectorSelector selector(PromQL.VectorSelectorContext ctx, boolean allowEmptyMatchers) {
        String name = ctx.metricName() != null ? ctx.metricName().getText() : null;
        boolean nameOutside = name != null;
        List<Matcher> matchers = new ArrayList<>();
        if (ctx.labelMatchers() != null) {
            for (PromQL.LabelMatcherContext m : ctx.labelMatchers().labelMatcher()) {
                if (m instanceof PromQL.QuotedNameMatcherContext q) {
                    String quotedName = unquote(q.STRING().getSymbol());
                    if (nameOutside) throw error(ctx, "metric name must not be set twice: " + goQuote(name) + " or " + goQuote(quotedName));
                    if (name == null) {
                        name = quotedName;
                        continue;
                    }
                    matchers.add(Matcher.metricName(quotedName));
                } else {
                    Matcher matcher = labelMatcher((PromQL.LabelValueMatcherContext) m);
                    if (nameOutside && matcher.name().equals(Labels.METRIC_NAME)) {
                        throw error(ctx, "metric name must not be set twice: " + goQuote(name) + " or " + goQuote(matcher.value()));
                    }
                    matchers.add(matcher);
                }
            }
        }
        if (name != null) {
            matchers.add(0, Matcher.metricName(name)); // the name matcher always comes first
        } else if (!allowEmptyMatchers) {
            boolean anyNonEmpty = false;
            for (Matcher m : matchers) anyNonEmpty |= !m.matchesEmpty();
            if (!anyNonEmpty) throw error(ctx, "vector selector must contain at least one non-empty matcher");
        }
        return new VectorSelector(name, matchers, 0, null, pos(ctx));
    }

    private Matcher labelMatcher(PromQL.LabelValueMatcherContext m) {
        List<TerminalNode> strings = m.STRING();
        String label = strings.size() == 2 ? unquote(strings.get(0).getSymbol()) : m.getStart().getText();
        String value = unquote(strings.get(strings.size() - 1).getSymbol());
        MatchType type = switch (m.matchOp().getStart().getType()) {
            case PromQLLexer.EQL -> MatchType.EQUAL;
            case PromQLLexer.NEQ -> MatchType.NOT_EQUAL;
            case PromQLLexer.EQL_REGEX -> MatchType.REGEX;
            default -> MatchType.NOT_REGEX;
        };
        if (m.NUMBER() != null && !tally.model.LabelNames.isLegacyLabelName(label)) {
            throw error(m.NUMBER().getSymbol(), "unexpected number " + goQuote(label) + " in label matching, expected identifier or \"}\"");
        }
        try {
            return Matcher.of(type, label, value);
        } catch (IllegalArgumentException badRegex) {
            throw error(m, badRegex.getMessage());
        }
    }

    private Expr matrix(PromQL.MatrixExprContext c) {
        Expr inner = build(c.expr());
        PositionRange bracket = new PositionRange(c.LEFT_BRACKET().getSymbol().getStartIndex(), c.RIGHT_BRACKET().getSymbol().getStopIndex() + 1);
        if (!(inner instanceof VectorSelector vs)) throw new ParseException(query, bracket, "ranges only allowed for vector selectors");
        if (vs.offsetMs() != 0) throw new ParseException(query, bracket, "no offset modifiers allowed before range");
        if (vs.at() != null) throw new ParseException(query, bracket, "no @ modifiers allowed before range");
        long range = positiveDuration(c.range);
        return new MatrixSelector(vs, range, pos(c));
    }

    private Expr subquery(PromQL.SubqueryExprContext c) {
        Expr inner = build(c.expr());
        long range = positiveDuration(c.range);
        long step = c.step == null ? 0 : positiveDuration(c.step);
        if (inner.type() != ValueType.VECTOR) {
            throw error(c, "subquery is only allowed on instant vector, got " + inner.type().apiName() + " instead");
        }
        return new SubqueryExpr(inner, range, step, 0, null, pos(c));
    }

    private Expr offset(PromQL.OffsetExprContext c) {
        Expr inner = build(c.expr());
        long offsetMs = offsetMillis(c.offsetValue());
        String notAllowed = "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery";
        if (inner instanceof VectorSelector vs) {
            if (vs.offsetMs() != 0) throw error(c, "offset may not be set multiple times");
            return new VectorSelector(vs.name(), vs.matchers(), offsetMs, vs.at(), pos(c));
        }
        if (inner instanceof MatrixSelector ms) {
            VectorSelector vs = ms.selector();
            if (vs.offsetMs() != 0) throw error(c, "offset may not be set multiple times");
            return new MatrixSelector(new VectorSelector(vs.name(), vs.matchers(), offsetMs, vs.at(), vs.pos()), ms.rangeMs(), pos(c));
        }
        if (inner instanceof SubqueryExpr sq) {
            if (sq.offsetMs() != 0) throw error(c, "offset may not be set multiple times");
            return new SubqueryExpr(sq.expr(), sq.rangeMs(), sq.stepMs(), offsetMs, sq.at(), pos(c));
        }
        throw error(c, notAllowed);
    }

    private Expr at(PromQL.AtExprContext c) {
        Expr inner = build(c.expr());
        AtModifier at = atModifier(c.atValue(), c);
        if (inner instanceof VectorSelector vs) {
            if (vs.at() != null) throw error(c, "@ <timestamp> may not be set multiple times");
            return new VectorSelector(vs.name(), vs.matchers(), vs.offsetMs(), at, pos(c));
        }
        if (inner instanceof MatrixSelector ms) {
            VectorSelector vs = ms.selector();
            if (vs.at() != null) throw error(c, "@ <timestamp> may not be set multiple times");
            return new MatrixSelector(new VectorSelector(vs.name(), vs.matchers(), vs.offsetMs(), at, vs.pos()), ms.rangeMs(), pos(c));
        }
        if (inner instanceof SubqueryExpr sq) {
            if (sq.at() != null) throw error(c, "@ <timestamp> may not be set multiple times");
            return new SubqueryExpr(sq.expr(), sq.rangeMs(), sq.stepMs(), sq.offsetMs(), at, pos(c));
        }
        throw error(c, "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery");
    }

    private AtModifier atModifier(PromQL.AtValueContext v, ParserRuleContext whole) {
        if (v instanceof PromQL.AtStartEndContext se) return se.START() != null ? AtModifier.START : AtModifier.END;
        PromQL.AtTimestampContext t = (PromQL.AtTimestampContext) v;
        Token lit = t.NUMBER() != null ? t.NUMBER().getSymbol() : t.DURATION().getSymbol();
        double seconds = numberValue(lit);
        if (t.sign != null && t.sign.getType() == PromQLLexer.SUB) seconds = -seconds;
        if (Double.isNaN(seconds) || Double.isInfinite(seconds) || seconds >= 9.223372036854776E18 || seconds <= -9.223372036854776E18) {
            throw error(whole, "timestamp out of bounds for @ modifier: " + goFloat(seconds));
        }
        return AtModifier.at(roundHalfAway(seconds * 1000));
    }

    private long offsetMillis(PromQL.OffsetValueContext v) {
        double seconds;
        Token sign;
        if (v instanceof PromQL.OffsetLiteralContext lit) {
            sign = lit.sign;
            seconds = numberValue(lit.NUMBER() != null ? lit.NUMBER().getSymbol() : lit.DURATION().getSymbol());
        } else if (v instanceof PromQL.OffsetParenContext p) {
            sign = p.sign;
            seconds = durationSeconds(p.durationExpr());
        } else {
            throw error(v, "step() and range() in durations are not supported");
        }
        if (sign != null && sign.getType() == PromQLLexer.SUB) seconds = -seconds;
        return durationMillis(seconds, v);
    }

    private long positiveDuration(PromQL.DurationExprContext d) {
        double seconds = durationSeconds(d);
        if (seconds <= 0) throw error(d, "duration must be greater than 0");
        return durationMillis(seconds, d);
    }

    private long durationMillis(double seconds, ParserRuleContext where) {
        if (Double.isNaN(seconds) || Math.abs(seconds) > 9.223372036E9) throw error(where, "duration out of range");
        return roundHalfAway(seconds * 1000);
    }

    /** Constant duration arithmetic, in seconds. */
    private double durationSeconds(PromQL.DurationExprContext d) {
        if (d instanceof PromQL.DurationLiteralContext lit) return numberValue(lit.getStart());
        if (d instanceof PromQL.DurationParenContext p) return durationSeconds(p.durationExpr());
        if (d instanceof PromQL.DurationUnaryContext u) {
            double v = durationSeconds(u.durationExpr());
            return u.op.getType() == PromQLLexer.SUB ? -v : v;
        }
        if (d instanceof PromQL.DurationMinMaxContext mm) {
            double a = durationSeconds(mm.durationExpr(0));
            double b = durationSeconds(mm.durationExpr(1));
            return mm.MAX_OF() != null ? Math.max(a, b) : Math.min(a, b);
        }
        if (d instanceof PromQL.DurationBinaryContext b) {
            double l = durationSeconds(b.durationExpr(0));
            double r = durationSeconds(b.durationExpr(1));
            return switch (b.op.getType()) {
                case PromQLLexer.ADD -> l + r;
                case PromQLLexer.SUB -> l - r;
                case PromQLLexer.MUL -> l * r;
                case PromQLLexer.DIV -> {
                    if (r == 0) throw error(b.op, "division by zero");
                    yield l / r;
                }
                case PromQLLexer.MOD -> {
                    if (r == 0) throw error(b.op, "modulo by zero");
                    yield l % r;
                }
                default -> Math.pow(l, r);
            };
        }
        throw error(d, "step() and range() in durations are not supported");
    }

    // ---- operators -------------------------------------------------------------------------------

    private Expr unary(PromQL.UnaryExprContext c) {
        Expr inner = build(c.expr());
        boolean negate = c.op.getType() == PromQLLexer.SUB;
        if (inner instanceof NumberLiteral n) return new NumberLiteral(negate ? -n.value() : n.value(), pos(c));
        ValueType t = inner.type();
        if (t != ValueType.SCALAR && t != ValueType.VECTOR) {
            throw error(c, "unary expression only allowed on expressions of type scalar or instant vector, got "
                    + goQuote(t.documentedName()));
        }
        return new UnaryExpr(negate, inner, pos(c));
    }

    private Expr binary(PromQL.BinaryExprContext c) {
        Expr lhs = build(c.expr(0));
        Expr rhs = build(c.expr(1));
        if (c.op.getType() == PromQLLexer.TRIM_UPPER || c.op.getType() == PromQLLexer.TRIM_LOWER) {
            throw error(c.op, "trim operator " + goQuote(c.op.getText()) + " is not supported");
        }
        BinaryOp op = binaryOp(c.op);
        PromQL.BinModifiersContext mods = c.binModifiers();
        PositionRange opPos = new PositionRange(c.op.getStartIndex(), c.op.getStopIndex() + 1);
        if (!mods.fillModifier().isEmpty()) throw error(mods.fillModifier(0), "fill modifiers are not supported");
        boolean returnBool = mods.BOOL() != null;
        if (returnBool && !op.isComparison()) throw new ParseException(query, opPos, "bool modifier can only be used on comparison operators");
        ValueType lt = lhs.type();
        ValueType rt = rhs.type();
        if (op.isComparison() && !returnBool && lt == ValueType.SCALAR && rt == ValueType.SCALAR) {
            throw new ParseException(query, opPos, "comparisons between scalars must use BOOL modifier");
        }
        VectorMatching.Cardinality card = VectorMatching.Cardinality.ONE_TO_ONE;
        List<String> matchingLabels = List.of();
        List<String> include = List.of();
        boolean on = false;
        if (mods.matching != null) {
            on = mods.matching.getType() == PromQLLexer.ON;
            matchingLabels = labelList(mods.labelList(0));
            if (mods.side != null) {
                card = mods.side.getType() == PromQLLexer.GROUP_LEFT ? VectorMatching.Cardinality.MANY_TO_ONE
                        : VectorMatching.Cardinality.ONE_TO_MANY;
                if (mods.include != null) include = labelList(mods.include);
            }
        }
        if (op.isSetOperator() && card == VectorMatching.Cardinality.ONE_TO_ONE) card = VectorMatching.Cardinality.MANY_TO_MANY;
        if (on) {
            for (String l : include) {
                if (matchingLabels.contains(l)) throw new ParseException(query, opPos, "label " + goQuote(l) + " must not occur in ON and GROUP clause at once");
            }
        }
        if (lt != ValueType.SCALAR && lt != ValueType.VECTOR) throw error(c.expr(0), "binary expression must contain only scalar and instant vector types");
        if (rt != ValueType.SCALAR && rt != ValueType.VECTOR) throw error(c.expr(1), "binary expression must contain only scalar and instant vector types");
        VectorMatching matching = null;
        if (lt == ValueType.VECTOR && rt == ValueType.VECTOR) {
            if (op.isSetOperator()) {
                if (card == VectorMatching.Cardinality.ONE_TO_MANY || card == VectorMatching.Cardinality.MANY_TO_ONE) {
                    throw error(c, "no grouping allowed for " + goQuote(op.symbol()) + " operation");
                }
            }
            matching = new VectorMatching(card, matchingLabels, on, include);
        } else {
            if (!matchingLabels.isEmpty()) throw error(c, "vector matching only allowed between instant vectors");
            if (op.isSetOperator()) throw error(c, "set operator " + goQuote(op.symbol()) + " not allowed in binary scalar expression");
        }
        return new BinaryExpr(op, lhs, rhs, matching, returnBool, pos(c));
    }

    private static BinaryOp binaryOp(Token t) {
        return switch (t.getType()) {
            case PromQLLexer.ADD -> BinaryOp.ADD;
            case PromQLLexer.SUB -> BinaryOp.SUB;
            case PromQLLexer.MUL -> BinaryOp.MUL;
            case PromQLLexer.DIV -> BinaryOp.DIV;
            case PromQLLexer.MOD -> BinaryOp.MOD;
            case PromQLLexer.POW -> BinaryOp.POW;
            case PromQLLexer.ATAN2 -> BinaryOp.ATAN2;
            case PromQLLexer.EQLC -> BinaryOp.EQL;
            case PromQLLexer.NEQ -> BinaryOp.NEQ;
            case PromQLLexer.GTR -> BinaryOp.GTR;
            case PromQLLexer.LSS -> BinaryOp.LSS;
            case PromQLLexer.GTE -> BinaryOp.GTE;
            case PromQLLexer.LTE -> BinaryOp.LTE;
            case PromQLLexer.AND -> BinaryOp.AND;
            case PromQLLexer.OR -> BinaryOp.OR;
            case PromQLLexer.UNLESS -> BinaryOp.UNLESS;
            default -> throw new IllegalStateException("not a binary operator: " + t.getText());
        };
    }

    // ---- calls and aggregations ------------------------------------------------------------------

    private Expr call(PromQL.CallExprContext c) {
        String name = c.functionName().getText();
        FunctionSignature f = Functions.lookup(name);
        if (f == null && PROMETHEUS_ONLY_FUNCTIONS.contains(name)) {
            throw error(c.functionName(), "function " + goQuote(name) + " is not supported");
        }
        if (f == null) throw error(c.functionName(), "unknown function with name " + goQuote(name));
        PromQL.CallArgsContext argsCtx = c.callArgs();
        rejectTrailingComma(argsCtx);
        List<PromQL.ExprContext> argCtxs = argsCtx.expr();
        List<Expr> args = new ArrayList<>(argCtxs.size());
        for (int i = 0; i < argCtxs.size(); i++) {
            PromQL.ExprContext a = argCtxs.get(i);
            // info()'s second argument is a label-only selector that may match everything.
            if (i == 1 && name.equals("info") && a instanceof PromQL.SelectorExprContext s) {
                VectorSelector vs = selector(s.vectorSelector(), true);
                if (vs.name() != null) throw error(a, "expected label selectors only, got vector selector instead");
                args.add(vs);
            } else {
                Expr arg = build(a);
                if (i == 1 && name.equals("info") && arg.type() == ValueType.VECTOR) throw error(a, "expected label selectors only");
                args.add(arg);
            }
        }
        checkArgCount(f, args.size(), c);
        List<ValueType> types = f.argTypes();
        for (int i = 0; i < args.size(); i++) {
            if (i >= types.size() && !f.variadic()) break;
            ValueType want = types.get(Math.min(i, types.size() - 1));
            ValueType got = args.get(i).type();
            if (got != want) {
                throw error(argCtxs.get(i), "expected type " + want.documentedName() + " in call to function "
                        + goQuote(name) + ", got " + got.documentedName());
            }
        }
        return new Call(f, args, pos(c));
    }

    private void checkArgCount(FunctionSignature f, int n, ParserRuleContext c) {
        String name = goQuote(f.name());
        if (f.optionalArgs() == 0 && !f.variadic()) {
            if (n != f.argTypes().size()) {
                throw error(c, "expected " + f.argTypes().size() + " argument(s) in call to " + name + ", got " + n);
            }
            return;
        }
        if (n < f.minArgs()) throw error(c, "expected at least " + f.minArgs() + " argument(s) in call to " + name + ", got " + n);
        if (f.maxArgs() >= 0 && n > f.maxArgs()) {
            throw error(c, "expected at most " + f.maxArgs() + " argument(s) in call to " + name + ", got " + n);
        }
    }

    private Expr aggregate(PromQL.AggregateExprContext c) {
        AggregateOp op = AggregateOp.fromKeyword(c.aggregateOp().getText());
        PromQL.GroupingContext grouping = c.pre != null ? c.pre : c.post;
        rejectTrailingComma(c.callArgs());
        List<PromQL.ExprContext> argCtxs = c.callArgs().expr();
        if (argCtxs.isEmpty()) throw error(c, "no arguments for aggregate expression provided");
        int want = op.hasParam() ? 2 : 1;
        if (argCtxs.size() != want) {
            throw error(c, "wrong number of arguments for aggregate expression provided, expected " + want + ", got " + argCtxs.size());
        }
        Expr param = op.hasParam() ? build(argCtxs.get(0)) : null;
        Expr expr = build(argCtxs.get(want - 1));
        if (expr.type() != ValueType.VECTOR) {
            throw error(argCtxs.get(want - 1), "expected type instant vector in aggregation expression, got " + expr.type().documentedName());
        }
        if (param != null) {
            ValueType wantParam = op == AggregateOp.COUNT_VALUES ? ValueType.STRING : ValueType.SCALAR;
            if (param.type() != wantParam) {
                throw error(argCtxs.get(0), "expected type " + wantParam.documentedName() + " in aggregation parameter, got "
                        + param.type().documentedName());
            }
        }
        List<String> labels = grouping == null ? List.of() : labelList(grouping.labelList());
        boolean without = grouping != null && grouping.WITHOUT() != null;
        return new AggregateExpr(op, expr, param, labels, without, pos(c));
    }

    private void rejectTrailingComma(PromQL.CallArgsContext args) {
        if (args.trailingComma != null) throw error(args.trailingComma, "trailing commas not allowed in function call args");
    }

    private List<String> labelList(PromQL.LabelListContext ctx) {
        List<String> out = new ArrayList<>(ctx.groupingLabel().size());
        for (PromQL.GroupingLabelContext g : ctx.groupingLabel()) {
            String label = g.STRING() != null ? unquote(g.STRING().getSymbol()) : g.getText();
            if (label.isEmpty() || (g.NUMBER() != null && !tally.model.LabelNames.isLegacyLabelName(label))) {
                throw error(g, "invalid label name for grouping: " + goQuote(label));
            }
            out.add(label);
        }
        return out;
    }

    // ---- literals --------------------------------------------------------------------------------

    private NumberLiteral numberLiteral(Token t, PositionRange pos) {
        return new NumberLiteral(numberValue(t), pos);
    }

    /** NUMBER as Go reads it; DURATION as its length in seconds (Prometheus 3 accepts "5m" as 300). */
    private double numberValue(Token t) {
        if (t.getType() == PromQLLexer.DURATION) {
            try {
                return Durations.parseMillis(t.getText()) / 1000.0;
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw error(t, e instanceof ArithmeticException ? "duration out of range" : e.getMessage());
            }
        }
        try {
            double v = Numbers.parse(t.getText());
            if (Double.isInfinite(v) && Character.isDigit(t.getText().charAt(t.getText().length() - 1))) {
                throw error(t, "error parsing number: strconv.ParseFloat: parsing " + goQuote(t.getText()) + ": value out of range");
            }
            return v;
        } catch (NumberFormatException e) {
            throw error(t, "error parsing number: strconv.ParseFloat: parsing " + goQuote(t.getText()) + ": invalid syntax");
        }
    }

    private String unquote(Token t) {
        try {
            return GoStrings.unquote(t.getText());
        } catch (IllegalArgumentException e) {
            throw error(t, e.getMessage()); // Prometheus's lexer reports bad escapes with just the reason
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private PositionRange pos(ParserRuleContext c) {
        return new PositionRange(c.getStart().getStartIndex(), c.getStop().getStopIndex() + 1);
    }

    private ParseException error(ParserRuleContext c, String reason) {
        return new ParseException(query, pos(c), reason);
    }

    private ParseException error(Token t, String reason) {
        return new ParseException(query, new PositionRange(t.getStartIndex(), t.getStopIndex() + 1), reason);
    }

    private static String goQuote(String s) {
        return tally.model.LabelNames.quote(s);
    }

    /** Go's %f: six decimals, with +Inf/-Inf/NaN spelled Go's way. */
    private static String goFloat(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        return String.format(java.util.Locale.ROOT, "%f", v);
    }

    /** Go's math.Round: halves away from zero. */
    private static long roundHalfAway(double v) {
        return (long) (v < 0 ? -Math.floor(-v + 0.5) : Math.floor(v + 0.5));
    }
}
