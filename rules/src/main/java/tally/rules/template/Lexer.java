package tally.rules.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits template text into Go text/template's items: text, delimiters, and the tokens inside actions.
 * Trim markers ({@code {{- } and { -}}}) and comments are handled here, so the parser never sees them.
 * The lexer does not depend on the parser, so it runs to the end (or to its first error) up front.
 */
final class Lexer {
    enum Type {
        ERROR, BOOL, CHAR, CHAR_CONSTANT, COMPLEX, ASSIGN, DECLARE, EOF, FIELD, IDENTIFIER, LEFT_DELIM,
        LEFT_PAREN, NUMBER, PIPE, RAW_STRING, RIGHT_DELIM, RIGHT_PAREN, SPACE, STRING, TEXT, VARIABLE,
        // Keywords come after all the rest.
        KEYWORD, BLOCK, BREAK, CONTINUE, DOT, DEFINE, ELSE, END, IF, NIL, RANGE, TEMPLATE, WITH;

        boolean isKeyword() {
            return ordinal() > KEYWORD.ordinal();
        }
    }

    /** A token: its type, start offset (in chars) in the input, text, and line. */
    record Item(Type type, int pos, String val, int line) {
        /** How Go prints an item in "unexpected ..." errors. */
        @Override
        public String toString() {
            if (type == Type.EOF) return "EOF";
            if (type == Type.ERROR) return val;
            if (type.isKeyword()) return "<" + val + ">";
            if (val.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 10) {
                int n = Math.min(10, val.codePointCount(0, val.length()));
                return GoStrconv.quote(val.substring(0, val.offsetByCodePoints(0, n))) + "...";
            }
            return GoStrconv.quote(val);
        }
    }

    private static final Map<String, Type> KEYWORDS = Map.ofEntries(
            Map.entry(".", Type.DOT), Map.entry("block", Type.BLOCK), Map.entry("break", Type.BREAK),
            Map.entry("continue", Type.CONTINUE), Map.entry("define", Type.DEFINE), Map.entry("else", Type.ELSE),
            Map.entry("end", Type.END), Map.entry("if", Type.IF), Map.entry("range", Type.RANGE),
            Map.entry("nil", Type.NIL), Map.entry("template", Type.TEMPLATE), Map.entry("with", Type.WITH));

    private static final String LEFT_DELIM = "{{", RIGHT_DELIM = "}}";
    private static final String LEFT_COMMENT = "/*", RIGHT_COMMENT = "*/";
    private static final int EOF = -1;
    /** A trim marker is '-' plus one space on the inside of the delimiter. */
    private static final int TRIM_MARKER_LEN = 2;

    private final String input;
    private final boolean breakOK, continueOK;
    private final List<Item> items = new ArrayList<>();
    private int pos, start;
    private boolean atEOF;
    private int parenDepth;
    private int line = 1, startLine = 1;

    private interface State {
        State run();
    }

    private Lexer(String input, boolean breakOK, boolean continueOK) {
        this.input = input;
        this.breakOK = breakOK;
        this.continueOK = continueOK;
    }

    /** All items of the input, ending with EOF or with the first ERROR. */
    static List<Item> lex(String input, boolean breakOK, boolean continueOK) {
        Lexer l = new Lexer(input, breakOK, continueOK);
        for (State s = l::lexText; s != null; ) s = s.run();
        return l.items;
    }

    private int next() {
        if (pos >= input.length()) {
            atEOF = true;
            return EOF;
        }
        int r = input.codePointAt(pos);
        pos += Character.charCount(r);
        if (r == '\n') line++;
        return r;
    }

    private int peek() {
        int r = next();
        backup();
        return r;
    }

    private void backup() {
        if (!atEOF && pos > 0) {
            int r = input.codePointBefore(pos);
            pos -= Character.charCount(r);
            if (r == '\n') line--;
        }
    }

    private void emit(Type t) {
        items.add(new Item(t, start, input.substring(start, pos), startLine));
        start = pos;
        startLine = line;
    }

    private void ignore() {
        line += count(input, start, pos, '\n');
        start = pos;
        startLine = line;
    }

    private static int count(String s, int from, int to, char c) {
        int n = 0;
        for (int i = from; i < to; i++) if (s.charAt(i) == c) n++;
        return n;
    }

    private boolean accept(String valid) {
        int r = next();
        if (r != EOF && valid.indexOf(r) >= 0) return true;
        backup();
        return false;
    }

    private void acceptRun(String valid) {
        int r;
        do {
            r = next();
        } while (r != EOF && valid.indexOf(r) >= 0);
        backup();
    }

    private State errorf(String msg) {
        items.add(new Item(Type.ERROR, start, msg, startLine));
        return null;
    }

    static boolean isSpace(int r) {
        return r == ' ' || r == '\t' || r == '\r' || r == '\n';
    }

    static boolean isAlphaNumeric(int r) {
        return r == '_' || (r >= 0 && (Character.isLetter(r) || Character.isDigit(r)));
    }

    private static boolean hasLeftTrimMarker(String s, int i) {
        return s.length() >= i + 2 && s.charAt(i) == '-' && isSpace(s.charAt(i + 1));
    }

    private static boolean hasRightTrimMarker(String s, int i) {
        return s.length() >= i + 2 && isSpace(s.charAt(i)) && s.charAt(i + 1) == '-';
    }

    private static int spaceChars(String s, int from, int to, boolean fromEnd) {
        int n = 0;
        if (fromEnd) {
            for (int i = to - 1; i >= from && isSpace(s.charAt(i)); i--) n++;
        } else {
            for (int i = from; i < to && isSpace(s.charAt(i)); i++) n++;
        }
        return n;
    }

    // ---- states ----

    private State lexText() {
        int x = input.indexOf(LEFT_DELIM, pos);
        if (x >= 0) {
            pos = x;
            int trim = 0;
            if (hasLeftTrimMarker(input, pos + LEFT_DELIM.length())) trim = spaceChars(input, start, pos, true);
            pos -= trim;
            if (pos > start) {
                line += count(input, start, pos, '\n');
                emit(Type.TEXT);
            }
            pos += trim;
            ignore();
            return this::lexLeftDelim;
        }
        pos = input.length();
        if (pos > start) {
            line += count(input, start, pos, '\n');
            emit(Type.TEXT);
        }
        emit(Type.EOF);
        return null;
    }

    /** Whether the input is at a right delimiter, and whether it carries a trim marker. */
    private boolean[] atRightDelim() {
        if (hasRightTrimMarker(input, pos) && input.startsWith(RIGHT_DELIM, pos + TRIM_MARKER_LEN)) return new boolean[] {true, true};
        if (input.startsWith(RIGHT_DELIM, pos)) return new boolean[] {true, false};
        return new boolean[] {false, false};
    }

    private State lexLeftDelim() {
        pos += LEFT_DELIM.length();
        boolean trim = hasLeftTrimMarker(input, pos);
        int after = trim ? TRIM_MARKER_LEN : 0;
        if (input.startsWith(LEFT_COMMENT, pos + after)) {
            pos += after;
            ignore();
            return this::lexComment;
        }
        emit(Type.LEFT_DELIM);
        pos += after;
        ignore();
        parenDepth = 0;
        return this::lexInsideAction;
    }

    private State lexComment() {
        pos += LEFT_COMMENT.length();
        int i = input.indexOf(RIGHT_COMMENT, pos);
        if (i < 0) return errorf("unclosed comment");
        pos = i + RIGHT_COMMENT.length();
        boolean[] d = atRightDelim();
        if (!d[0]) return errorf("comment ends before closing delimiter");
        if (d[1]) pos += TRIM_MARKER_LEN;
        pos += RIGHT_DELIM.length();
        if (d[1]) pos += spaceChars(input, pos, input.length(), false);
        ignore();
        return this::lexText;
    }

    private State lexRightDelim() {
        boolean trim = hasRightTrimMarker(input, pos);
        if (trim) {
            pos += TRIM_MARKER_LEN;
            ignore();
        }
        pos += RIGHT_DELIM.length();
        emit(Type.RIGHT_DELIM);
        if (trim) {
            pos += spaceChars(input, pos, input.length(), false);
            ignore();
        }
        return this::lexText;
    }

    private State lexInsideAction() {
        if (atRightDelim()[0]) {
            if (parenDepth == 0) return this::lexRightDelim;
            return errorf("unclosed left paren");
        }
        int r = next();
        if (r == EOF) return errorf("unclosed action");
        if (isSpace(r)) {
            backup(); // the space may start " -}}"
            return this::lexSpace;
        }
        switch (r) {
            case '=' -> emit(Type.ASSIGN);
            case ':' -> {
                if (next() != '=') return errorf("expected :=");
                emit(Type.DECLARE);
            }
            case '|' -> emit(Type.PIPE);
            case '"' -> {
                return this::lexQuote;
            }
            case '`' -> {
                return this::lexRawQuote;
            }
            case '$' -> {
                return this::lexVariable;
            }
            case '\'' -> {
                return this::lexChar;
            }
            case '(' -> {
                emit(Type.LEFT_PAREN);
                parenDepth++;
            }
            case ')' -> {
                emit(Type.RIGHT_PAREN);
                parenDepth--;
                if (parenDepth < 0) return errorf("unexpected right paren " + unicodeRune(r));
            }
            default -> {
                if (r == '.') {
                    // ".field" unless a digit follows, which makes it a number.
                    if (pos < input.length()) {
                        char c = input.charAt(pos);
                        if (c < '0' || c > '9') return this::lexField;
                    }
                    backup();
                    return this::lexNumber;
                }
                if (r == '+' || r == '-' || (r >= '0' && r <= '9')) {
                    backup();
                    return this::lexNumber;
                }
                if (isAlphaNumeric(r)) {
                    backup();
                    return this::lexIdentifier;
                }
                if (r <= 0x7f && r >= 0x20 && r != 0x7f) {
                    emit(Type.CHAR);
                } else {
                    return errorf("unrecognized character in action: " + unicodeRune(r));
                }
            }
        }
        return this::lexInsideAction;
    }

    /** Go's %#U: U+0041 'A', or just U+00A0 for a rune that does not print. */
    static String unicodeRune(int r) {
        String hex = Integer.toHexString(r).toUpperCase(java.util.Locale.ROOT);
        StringBuilder sb = new StringBuilder("U+");
        for (int i = hex.length(); i < 4; i++) sb.append('0');
        sb.append(hex);
        if (GoStrconv.isPrint(r)) sb.append(" '").appendCodePoint(r).append('\'');
        return sb.toString();
    }

    private State lexSpace() {
        int numSpaces = 0;
        while (isSpace(peek())) {
            next();
            numSpaces++;
        }
        // A trim-marked right delimiter starts with a space: leave that space to it.
        if (hasRightTrimMarker(input, pos - 1) && input.startsWith(RIGHT_DELIM, pos - 1 + TRIM_MARKER_LEN)) {
            backup();
            if (numSpaces == 1) return this::lexRightDelim;
        }
        emit(Type.SPACE);
        return this::lexInsideAction;
    }

    private State lexIdentifier() {
        while (true) {
            int r = next();
            if (isAlphaNumeric(r)) continue;
            backup();
            String word = input.substring(start, pos);
            if (!atTerminator()) return errorf("bad character " + unicodeRune(r));
            Type kw = KEYWORDS.get(word);
            if (kw != null) {
                if ((kw == Type.BREAK && !breakOK) || (kw == Type.CONTINUE && !continueOK)) emit(Type.IDENTIFIER);
                else emit(kw);
            } else if (word.charAt(0) == '.') {
                emit(Type.FIELD);
            } else if (word.equals("true") || word.equals("false")) {
                emit(Type.BOOL);
            } else {
                emit(Type.IDENTIFIER);
            }
            return this::lexInsideAction;
        }
    }

    private State lexField() {
        return lexFieldOrVariable(Type.FIELD);
    }

    private State lexVariable() {
        if (atTerminator()) {
            emit(Type.VARIABLE);
            return this::lexInsideAction;
        }
        return lexFieldOrVariable(Type.VARIABLE);
    }

    private State lexFieldOrVariable(Type typ) {
        if (atTerminator()) {
            emit(typ == Type.VARIABLE ? Type.VARIABLE : Type.DOT);
            return this::lexInsideAction;
        }
        int r;
        while (true) {
            r = next();
            if (!isAlphaNumeric(r)) {
                backup();
                break;
            }
        }
        if (!atTerminator()) return errorf("bad character " + unicodeRune(r));
        emit(typ);
        return this::lexInsideAction;
    }

    /** Whether the next rune may end an identifier: space, eof, one of {@code .,|:()}, or the right delimiter. */
    private boolean atTerminator() {
        int r = peek();
        if (isSpace(r)) return true;
        switch (r) {
            case EOF, '.', ',', '|', ':', ')', '(':
                return true;
            default:
                return input.startsWith(RIGHT_DELIM, pos);
        }
    }

    private State lexChar() {
        while (true) {
            int r = next();
            if (r == '\\') {
                int n = next();
                if (n != EOF && n != '\n') continue;
                return errorf("unterminated character constant");
            }
            if (r == EOF || r == '\n') return errorf("unterminated character constant");
            if (r == '\'') break;
        }
        emit(Type.CHAR_CONSTANT);
        return this::lexInsideAction;
    }

    private State lexNumber() {
        if (!scanNumber()) return errorf("bad number syntax: " + GoStrconv.quote(input.substring(start, pos)));
        int sign = peek();
        if (sign == '+' || sign == '-') {
            // Complex: 1+2i, no spaces, ending in 'i'.
            if (!scanNumber() || input.charAt(pos - 1) != 'i') {
                return errorf("bad number syntax: " + GoStrconv.quote(input.substring(start, pos)));
            }
            emit(Type.COMPLEX);
        } else {
            emit(Type.NUMBER);
        }
        return this::lexInsideAction;
    }

    private boolean scanNumber() {
        accept("+-");
        String digits = "0123456789_";
        if (accept("0")) {
            if (accept("xX")) digits = "0123456789abcdefABCDEF_";
            else if (accept("oO")) digits = "01234567_";
            else if (accept("bB")) digits = "01_";
        }
        acceptRun(digits);
        if (accept(".")) acceptRun(digits);
        if (digits.length() == 10 + 1 && accept("eE")) {
            accept("+-");
            acceptRun("0123456789_");
        }
        if (digits.length() == 16 + 6 + 1 && accept("pP")) {
            accept("+-");
            acceptRun("0123456789_");
        }
        accept("i");
        if (isAlphaNumeric(peek())) {
            next();
            return false;
        }
        return true;
    }

    private State lexQuote() {
        while (true) {
            int r = next();
            if (r == '\\') {
                int n = next();
                if (n != EOF && n != '\n') continue;
                return errorf("unterminated quoted string");
            }
            if (r == EOF || r == '\n') return errorf("unterminated quoted string");
            if (r == '"') break;
        }
        emit(Type.STRING);
        return this::lexInsideAction;
    }

    private State lexRawQuote() {
        while (true) {
            int r = next();
            if (r == EOF) return errorf("unterminated raw quoted string");
            if (r == '`') break;
        }
        emit(Type.RAW_STRING);
        return this::lexInsideAction;
    }
}
