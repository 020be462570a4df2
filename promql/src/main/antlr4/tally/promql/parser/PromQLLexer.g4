// Tokens of PromQL as Prometheus 3 lexes them. Keywords, Inf and NaN are case-insensitive (Prometheus
// lower-cases words before the keyword lookup); duration units are not ("5M" is not a duration).
lexer grammar PromQLLexer;

options { caseInsensitive = true; }

// Keywords (also usable as label names, and most of them as metric names; see PromQL.g4).
AND         : 'and';
OR          : 'or';
UNLESS      : 'unless';
ATAN2       : 'atan2';
SUM         : 'sum';
AVG         : 'avg';
COUNT       : 'count';
MIN         : 'min';
MAX         : 'max';
GROUP       : 'group';
STDDEV      : 'stddev';
STDVAR      : 'stdvar';
TOPK        : 'topk';
BOTTOMK     : 'bottomk';
COUNT_VALUES: 'count_values';
QUANTILE    : 'quantile';
LIMITK      : 'limitk';
LIMIT_RATIO : 'limit_ratio';
OFFSET      : 'offset';
SMOOTHED    : 'smoothed';
ANCHORED    : 'anchored';
BY          : 'by';
WITHOUT     : 'without';
ON          : 'on';
IGNORING    : 'ignoring';
GROUP_LEFT  : 'group_left';
GROUP_RIGHT : 'group_right';
FILL        : 'fill';
FILL_LEFT   : 'fill_left';
FILL_RIGHT  : 'fill_right';
BOOL        : 'bool';
START       : 'start';
END         : 'end';
STEP        : 'step';
RANGE       : 'range';
MAX_OF      : 'max_of';
MIN_OF      : 'min_of';

// Numbers before identifiers so that "Inf"/"NaN" win ties; longer identifiers ("info") still win.
NUMBER
    : DIGITS ('.' DIGIT*)? EXPONENT?
    | '.' DIGITS EXPONENT?
    | '0x' HEX_DIGIT+
    | 'inf'
    | 'nan'
    ;

DURATION options { caseInsensitive = false; } : (DIGITS ('ms' | [smhdwy]))+ ;

// A number or duration glued to more letters or digits ("5mm", "2.5.", "0deadbeef"); always an error.
BAD_NUMBER options { caseInsensitive = false; }
    : (DIGITS ('.' DIGIT*)? | '.' DIGITS | (DIGITS ('ms' | [smhdwy]))+) [a-zA-Z0-9_.]+ ;

IDENTIFIER        : [a-z_] [a-z0-9_]* ;
// Names with a colon (recording rules); a leading colon is not accepted so that "[5m:1m]" lexes.
METRIC_IDENTIFIER : [a-z_] [a-z0-9_]* ':' [a-z0-9_:]* ;

STRING
    : '"' (ESCAPE | ~["\\\n])* '"'
    | '\'' (ESCAPE | ~['\\\n])* '\''
    | '`' ~'`'* '`'
    ;

LEFT_PAREN   : '(';
RIGHT_PAREN  : ')';
LEFT_BRACE   : '{';
RIGHT_BRACE  : '}';
LEFT_BRACKET : '[';
RIGHT_BRACKET: ']';
COMMA        : ',';
COLON        : ':';
AT           : '@';

// Experimental native-histogram trim operators; lexed only to give a clear "not supported" error.
TRIM_UPPER : '</';
TRIM_LOWER : '>/';
EQL_REGEX : '=~';
NEQ_REGEX : '!~';
EQLC      : '==';
NEQ       : '!=';
GTE       : '>=';
LTE       : '<=';
GTR       : '>';
LSS       : '<';
EQL       : '=';
ADD       : '+';
SUB       : '-';
MUL       : '*';
DIV       : '/';
MOD       : '%';
POW       : '^';

COMMENT    : '#' ~[\r\n]* -> skip;
WHITESPACE : [ \t\r\n]+ -> skip;

fragment DIGIT     : [0-9];
fragment DIGITS    : DIGIT+;
fragment HEX_DIGIT : [0-9a-f];
fragment EXPONENT  : 'e' [+-]? DIGITS;
fragment ESCAPE    : '\\' . ;
