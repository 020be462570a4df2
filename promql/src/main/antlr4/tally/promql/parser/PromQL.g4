// PromQL as Prometheus 3 parses it. Alternatives of `expr` are listed from the tightest binding to
// the loosest: range/subquery brackets, offset and @ first, then ^ (right-associative), unary
// +/- (so that -2^2 is -(2^2)), * / % atan2, + -, comparisons, and/unless, or.
// Semantic checks (types, argument counts, duplicate modifiers) live in AstBuilder, not here.
parser grammar PromQL;

options { tokenVocab = PromQLLexer; }

query          : expr EOF ;
seriesSelector : vectorSelector EOF ;

expr
    : expr LEFT_BRACKET range=durationExpr RIGHT_BRACKET                                   # matrixExpr
    | expr LEFT_BRACKET range=durationExpr COLON step=durationExpr? RIGHT_BRACKET          # subqueryExpr
    | expr OFFSET offsetValue                                                              # offsetExpr
    | expr AT atValue                                                                      # atExpr
    | expr (ANCHORED | SMOOTHED)                                                           # rangeModifierExpr
    | <assoc=right> expr op=POW binModifiers expr                                          # binaryExpr
    | op=(ADD | SUB) expr                                                                  # unaryExpr
    | expr op=(MUL | DIV | MOD | ATAN2) binModifiers expr                                  # binaryExpr
    | expr op=(ADD | SUB) binModifiers expr                                                # binaryExpr
    | expr op=(EQLC | NEQ | GTR | LSS | GTE | LTE | TRIM_UPPER | TRIM_LOWER) binModifiers expr # binaryExpr
    | expr op=(AND | UNLESS) binModifiers expr                                             # binaryExpr
    | expr op=OR binModifiers expr                                                         # binaryExpr
    | aggregateOp (pre=grouping callArgs | callArgs post=grouping?)                        # aggregateExpr
    | functionName callArgs                                                                # callExpr
    | LEFT_PAREN expr RIGHT_PAREN                                                          # parenExpr
    | vectorSelector                                                                       # selectorExpr
    | (NUMBER | DURATION)                                                                  # numberExpr
    | STRING                                                                               # stringExpr
    ;

aggregateOp
    : SUM | AVG | COUNT | MIN | MAX | GROUP | STDDEV | STDVAR | TOPK | BOTTOMK | COUNT_VALUES | QUANTILE
    | LIMITK | LIMIT_RATIO
    ;

// Prometheus also lexes these keywords in function position, so "start(...)" is an unknown function.
functionName : IDENTIFIER | START | END | STEP | RANGE | MAX_OF | MIN_OF ;

callArgs : LEFT_PAREN (expr (COMMA expr)* trailingComma=COMMA?)? RIGHT_PAREN ;

grouping   : (BY | WITHOUT) labelList ;
labelList  : LEFT_PAREN (groupingLabel (COMMA groupingLabel)* COMMA?)? RIGHT_PAREN ;
groupingLabel : labelKeyword | IDENTIFIER | METRIC_IDENTIFIER | NUMBER | STRING ;

binModifiers
    : BOOL? (matching=(ON | IGNORING) labelList (side=(GROUP_LEFT | GROUP_RIGHT) include=labelList?)?)? fillModifier*
    ;
fillModifier : (FILL | FILL_LEFT | FILL_RIGHT) LEFT_PAREN (ADD | SUB)? (NUMBER | DURATION) RIGHT_PAREN ;

offsetValue
    : sign=(ADD | SUB)? (NUMBER | DURATION)                                          # offsetLiteral
    | sign=(ADD | SUB)? LEFT_PAREN durationExpr RIGHT_PAREN                          # offsetParen
    | sign=(ADD | SUB)? (STEP | RANGE) LEFT_PAREN RIGHT_PAREN                        # offsetFunction
    | sign=(ADD | SUB)? (MAX_OF | MIN_OF) LEFT_PAREN durationExpr COMMA durationExpr RIGHT_PAREN  # offsetFunction
    ;

atValue
    : sign=(ADD | SUB)? (NUMBER | DURATION)                                          # atTimestamp
    | (START | END) LEFT_PAREN RIGHT_PAREN                                           # atStartEnd
    ;

// Constant arithmetic on durations inside brackets and parenthesised offsets ("[5m+1m]", "offset (2*1h)").
durationExpr
    : <assoc=right> durationExpr op=POW durationExpr                                   # durationBinary
    | op=(ADD | SUB) durationExpr                                                      # durationUnary
    | durationExpr op=(MUL | DIV | MOD) durationExpr                                   # durationBinary
    | durationExpr op=(ADD | SUB) durationExpr                                         # durationBinary
    | LEFT_PAREN durationExpr RIGHT_PAREN                                              # durationParen
    | (STEP | RANGE) LEFT_PAREN RIGHT_PAREN                                            # durationFunction
    | (MAX_OF | MIN_OF) LEFT_PAREN durationExpr COMMA durationExpr RIGHT_PAREN          # durationMinMax
    | (NUMBER | DURATION)                                                              # durationLiteral
    ;

vectorSelector
    : metricName labelMatchers?
    | labelMatchers
    ;

labelMatchers : LEFT_BRACE (labelMatcher (COMMA labelMatcher)* COMMA?)? RIGHT_BRACE ;

labelMatcher
    : (labelKeyword | IDENTIFIER | NUMBER | STRING) matchOp STRING                   # labelValueMatcher
    | STRING                                                                          # quotedNameMatcher
    ;

matchOp : EQL | NEQ | EQL_REGEX | NEQ_REGEX ;

// Keywords Prometheus accepts as metric names (not bool, on, ignoring, group_left/right, atan2).
metricName
    : IDENTIFIER | METRIC_IDENTIFIER
    | AVG | BOTTOMK | BY | COUNT | COUNT_VALUES | FILL | FILL_LEFT | FILL_RIGHT | GROUP | AND | OR | UNLESS
    | MAX | MIN | OFFSET | QUANTILE | STDDEV | STDVAR | SUM | TOPK | WITHOUT | START | END | LIMITK
    | LIMIT_RATIO | STEP | RANGE | ANCHORED | SMOOTHED | MAX_OF | MIN_OF
    ;

// Every keyword token; inside braces and grouping lists they are plain label names.
labelKeyword
    : AND | OR | UNLESS | ATAN2 | SUM | AVG | COUNT | MIN | MAX | GROUP | STDDEV | STDVAR | TOPK | BOTTOMK
    | COUNT_VALUES | QUANTILE | LIMITK | LIMIT_RATIO | OFFSET | SMOOTHED | ANCHORED | BY | WITHOUT | ON
    | IGNORING | GROUP_LEFT | GROUP_RIGHT | FILL | FILL_LEFT | FILL_RIGHT | BOOL | START | END | STEP | RANGE
    | MAX_OF | MIN_OF
    ;
