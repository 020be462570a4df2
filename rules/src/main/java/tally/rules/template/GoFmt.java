package tally.rules.template;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import tally.rules.template.GoValues.GoComplex;
import tally.rules.template.GoValues.GoDuration;
import tally.rules.template.GoValues.GoInt;
import tally.rules.template.GoValues.GoMap;
import tally.rules.template.GoValues.GoNamedString;
import tally.rules.template.GoValues.GoPtr;
import tally.rules.template.GoValues.GoSlice;
import tally.rules.template.GoValues.GoStruct;
import tally.rules.template.GoValues.GoTime;

/**
 * Go's {@code fmt.Sprint}, {@code Sprintf} and {@code Sprintln} over template values: verbs, flags, width,
 * precision and argument indexes, the {@code %!verb(type=value)} texts for mismatches, and the Stringer
 * behaviour of time values. One instance formats one call.
 */
final class GoFmt {
    private final StringBuilder buf = new StringBuilder();

    // Flags of the verb being formatted.
    private boolean widPresent, precPresent, minus, plus, sharp, space, zero, plusV, sharpV;
    private int wid, prec;

    /** The operand being printed at the top level, for %!verb texts. */
    private Object arg;
    /** Set while printing a %!verb(...) text: String methods are not called then. */
    private boolean erroring;
    private boolean reordered, goodArgNum;

    private GoFmt() {}

    static String sprint(List<Object> args) {
        GoFmt p = new GoFmt();
        boolean prevString = false;
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            boolean isString = a != null && GoValues.kind(a) == GoType.Kind.STRING;
            // Operands get a space between them when neither side is a string.
            if (i > 0 && !isString && !prevString) p.buf.append(' ');
            p.printArg(a, 'v');
            prevString = isString;
        }
        return p.buf.toString();
    }

    static String sprintln(List<Object> args) {
        GoFmt p = new GoFmt();
        for (int i = 0; i < args.size(); i++) {
            if (i > 0) p.buf.append(' ');
            p.printArg(args.get(i), 'v');
        }
        return p.buf.append('\n').toString();
    }

    static String sprintf(String format, List<Object> args) {
        GoFmt p = new GoFmt();
        p.doPrintf(format, args);
        return p.buf.toString();
    }

    /** fmt.Sprint of one value, as a template action prints it. */
    static String sprint1(Object v) {
        GoFmt p = new GoFmt();
        p.printArg(v, 'v');
        return p.buf.toString();
    }

    private void clearFlags() {
        widPresent = precPresent = minus = plus = sharp = space = zero = plusV = sharpV = false;
        wid = prec = 0;
    }

    // ---- Printf driver ----

    private void doPrintf(String format, List<Object> a) {
        int end = format.length();
        int argNum = 0;
        boolean afterIndex;
        reordered = false;
        formatLoop:
        for (int i = 0; i < end; ) {
            goodArgNum = true;
            int lasti = i;
            while (i < end && format.charAt(i) != '%') i++;
            if (i > lasti) buf.append(format, lasti, i);
            if (i >= end) break;
            i++; // skip %
            clearFlags();
            simple:
            for (; i < end; i++) {
                char c = format.charAt(i);
                switch (c) {
                    case '#' -> sharp = true;
                    case '0' -> zero = !minus;
                    case '+' -> plus = true;
                    case '-' -> {
                        minus = true;
                        zero = false;
                    }
                    case ' ' -> space = true;
                    default -> {
                        // Fast path: a lower-case verb right after the flags.
                        if (c >= 'a' && c <= 'z' && argNum < a.size()) {
                            if (c == 'v') {
                                sharpV = sharp;
                                sharp = false;
                                plusV = plus;
                                plus = false;
                            }
                            printArg(a.get(argNum), c);
                            argNum++;
                            i++;
                            continue formatLoop;
                        }
                        break simple;
                    }
                }
            }
            int[] r = argNumber(argNum, format, i, a.size());
            argNum = r[0];
            i = r[1];
            afterIndex = r[2] == 1;
            if (i < end && format.charAt(i) == '*') {
                i++;
                Object[] w = intFromArg(a, argNum);
                wid = (Integer) w[0];
                widPresent = (Boolean) w[1];
                argNum = (Integer) w[2];
                if (!widPresent) buf.append("%!(BADWIDTH)");
                if (wid < 0) {
                    wid = -wid;
                    minus = true;
                    zero = false;
                }
                afterIndex = false;
            } else {
                int[] n = parseNum(format, i, end);
                wid = n[0];
                widPresent = n[1] == 1;
                i = n[2];
                if (afterIndex && widPresent) goodArgNum = false;
            }
            if (i + 1 < end && format.charAt(i) == '.') {
                i++;
                if (afterIndex) goodArgNum = false;
                r = argNumber(argNum, format, i, a.size());
                argNum = r[0];
                i = r[1];
                afterIndex = r[2] == 1;
                if (i < end && format.charAt(i) == '*') {
                    i++;
                    Object[] w = intFromArg(a, argNum);
                    prec = (Integer) w[0];
                    precPresent = (Boolean) w[1];
                    argNum = (Integer) w[2];
                    if (prec < 0) {
                        prec = 0;
                        precPresent = false;
                    }
                    if (!precPresent) buf.append("%!(BADPREC)");
                    afterIndex = false;
                } else {
                    int[] n = parseNum(format, i, end);
                    prec = n[0];
                    precPresent = n[1] == 1;
                    i = n[2];
                    if (!precPresent) {
                        prec = 0;
                        precPresent = true;
                    }
                }
            }
            if (!afterIndex) {
                r = argNumber(argNum, format, i, a.size());
                argNum = r[0];
                i = r[1];
            }
            if (i >= end) {
                buf.append("%!(NOVERB)");
                break;
            }
            int verb = format.codePointAt(i);
            i += Character.charCount(verb);
            if (verb == '%') {
                buf.append('%');
            } else if (!goodArgNum) {
                buf.append("%!").appendCodePoint(verb).append("(BADINDEX)");
            } else if (argNum >= a.size()) {
                buf.append("%!").appendCodePoint(verb).append("(MISSING)");
            } else {
                if (verb == 'v') {
                    sharpV = sharp;
                    sharp = false;
                    plusV = plus;
                    plus = false;
                }
                printArg(a.get(argNum), verb);
                argNum++;
            }
        }
        if (!reordered && argNum < a.size()) {
            clearFlags();
            buf.append("%!(EXTRA ");
            for (int k = argNum; k < a.size(); k++) {
                if (k > argNum) buf.append(", ");
                Object x = a.get(k);
                if (x == null) {
                    buf.append("<nil>");
                } else {
                    buf.append(GoValues.typeOf(x).name).append('=');
                    printArg(x, 'v');
                }
            }
            buf.append(')');
        }
    }

    private static boolean tooLarge(int x) {
        return x > 1_000_000 || x < -1_000_000;
    }

    /** {num, isnum(0/1), newi}. */
    private static int[] parseNum(String s, int start, int end) {
        if (start >= end) return new int[] {0, 0, end};
        int num = 0;
        boolean isnum = false;
        int i = start;
        for (; i < end && s.charAt(i) >= '0' && s.charAt(i) <= '9'; i++) {
            if (tooLarge(num)) return new int[] {0, 0, end};
            num = num * 10 + (s.charAt(i) - '0');
            isnum = true;
        }
        return new int[] {num, isnum ? 1 : 0, i};
    }

    /** Handles an explicit argument index [n]: {argNum, newi, found(0/1)}. */
    private int[] argNumber(int argNum, String format, int i, int numArgs) {
        if (format.length() <= i || format.charAt(i) != '[') return new int[] {argNum, i, 0};
        reordered = true;
        String f = format.substring(i);
        int index = 0, wid = 1;
        boolean ok = false;
        if (f.length() >= 3) {
            for (int k = 1; k < f.length(); k++) {
                if (f.charAt(k) == ']') {
                    int[] n = parseNum(f, 1, k);
                    if (n[1] == 0 || n[2] != k) {
                        wid = k + 1;
                    } else {
                        index = n[0] - 1;
                        wid = k + 1;
                        ok = true;
                    }
                    break;
                }
            }
        }
        if (ok && index >= 0 && index < numArgs) return new int[] {index, i + wid, 1};
        goodArgNum = false;
        return new int[] {argNum, i + wid, ok ? 1 : 0};
    }

    /** {num, isInt, newArgNum} for a '*' width or precision. */
    private static Object[] intFromArg(List<Object> a, int argNum) {
        int num = 0;
        boolean isInt = false;
        int newArgNum = argNum;
        if (argNum < a.size()) {
            Object v = a.get(argNum);
            if (v instanceof Long l && l == (int) (long) l) {
                num = (int) (long) l;
                isInt = true;
            } else if (v instanceof GoInt g) {
                if (!g.unsigned() && g.bits() == (int) g.bits()) {
                    num = (int) g.bits();
                    isInt = true;
                } else if (g.unsigned() && g.bits() >= 0 && g.bits() == (int) g.bits()) {
                    num = (int) g.bits();
                    isInt = true;
                }
            } else if (v instanceof GoDuration d && d.nanos() == (int) d.nanos()) {
                num = (int) d.nanos();
                isInt = true;
            }
            newArgNum = argNum + 1;
            if (tooLarge(num)) {
                num = 0;
                isInt = false;
            }
        }
        return new Object[] {num, isInt, newArgNum};
    }

    // ---- operands ----

    private void printArg(Object a, int verb) {
        arg = a;
        if (a == null) {
            if (verb == 'T' || verb == 'v') padString("<nil>");
            else badVerb(verb, null);
            return;
        }
        if (verb == 'T') {
            fmtS(GoValues.typeOf(a).name);
            return;
        }
        if (verb == 'p') {
            fmtPointer(a, 'p');
            return;
        }
        if (a instanceof Boolean b) {
            fmtBool(b, verb);
        } else if (a instanceof Double d) {
            fmtFloat(d, verb);
        } else if (a instanceof GoComplex c) {
            fmtComplex(c, verb);
        } else if (a instanceof Long l) {
            fmtInteger(l, true, verb);
        } else if (a instanceof GoInt g && isBasicIntType(g.type())) {
            fmtInteger(g.bits(), !g.unsigned(), verb);
        } else if (a instanceof String s) {
            fmtString(s, verb);
        } else if (!handleMethods(verb)) {
            printValue(a, verb, 0);
        }
    }

    private static boolean isBasicIntType(GoType t) {
        return !t.name.contains(".");
    }

    /** The String (or GoString for %#v) method of the values that have one. */
    private static String stringer(Object a) {
        Object v = a instanceof GoPtr p ? p.elem : a;
        if (v instanceof GoTime t) return GoTimes.string(t);
        if (v instanceof GoDuration d) return GoTimes.durationString(d.nanos());
        if (v instanceof GoInt g && g.type().equals(GoType.MONTH)) return GoTimes.monthName(g.bits());
        if (v instanceof GoInt g && g.type().equals(GoType.WEEKDAY)) return GoTimes.weekdayName(g.bits());
        return null;
    }

    private boolean handleMethods(int verb) {
        if (erroring) return false;
        if (sharpV) {
            Object v = arg instanceof GoPtr p ? p.elem : arg;
            if (v instanceof GoTime t) {
                fmtS(GoTimes.goString(t));
                return true;
            }
            return false;
        }
        if (verb == 'v' || verb == 's' || verb == 'x' || verb == 'X' || verb == 'q') {
            String s = stringer(arg);
            if (s != null) {
                fmtString(s, verb);
                return true;
            }
        }
        return false;
    }

    private void printValue(Object value, int verb, int depth) {
        if (depth > 0 && value != null) {
            arg = value;
                if (handleMethods(verb)) return;
        }
        arg = value;
        if (value == null) {
            if (depth == 0) {
                buf.append("<invalid reflect.Value>");
            } else if (verb == 'v') {
                buf.append("<nil>");
            } else {
                badVerb(verb, null);
            }
            return;
        }
        GoType t = GoValues.typeOf(value);
        switch (t.kind) {
            case BOOL -> fmtBool((Boolean) value, verb);
            case INT -> fmtInteger(GoValues.intBits(value), true, verb);
            case UINT -> fmtInteger(GoValues.intBits(value), false, verb);
            case FLOAT -> fmtFloat((Double) value, verb);
            case COMPLEX -> fmtComplex((GoComplex) value, verb);
            case STRING -> fmtString(GoValues.stringValue(value), verb);
            case MAP -> {
                GoMap m = (GoMap) value;
                if (sharpV) {
                    buf.append(t.name).append('{');
                } else {
                    buf.append("map[");
                }
                boolean first = true;
                for (Map.Entry<String, Object> e : m.entries().entrySet()) {
                    if (!first) buf.append(sharpV ? ", " : " ");
                    first = false;
                    printValue(e.getKey(), verb, depth + 1);
                    buf.append(':');
                    if (e.getValue() == null && sharpV && t.elem.kind == GoType.Kind.INTERFACE) buf.append("interface {}(nil)");
                    else printValue(e.getValue(), verb, depth + 1);
                }
                buf.append(sharpV ? '}' : ']');
            }
            case STRUCT -> {
                if (value instanceof GoTime tm) {
                    printTimeFields(tm, verb, depth);
                    return;
                }
                GoStruct s = (GoStruct) value;
                if (sharpV) buf.append(t.name);
                buf.append('{');
                for (int i = 0; i < t.fields.size(); i++) {
                    if (i > 0) buf.append(sharpV ? ", " : " ");
                    if (plusV || sharpV) buf.append(t.fields.get(i).name()).append(':');
                    Object f = s.field(i);
                    if (f == null && sharpV && t.fields.get(i).type().kind == GoType.Kind.INTERFACE) {
                        buf.append("interface {}(nil)");
                    } else {
                        printValue(f, verb, depth + 1);
                    }
                }
                buf.append('}');
            }
            case SLICE -> {
                GoSlice s = (GoSlice) value;
                if (sharpV) {
                    buf.append(t.name).append('{');
                    for (int i = 0; i < s.items().size(); i++) {
                        if (i > 0) buf.append(", ");
                        printValue(s.items().get(i), verb, depth + 1);
                    }
                    buf.append('}');
                } else {
                    buf.append('[');
                    for (int i = 0; i < s.items().size(); i++) {
                        if (i > 0) buf.append(' ');
                        printValue(s.items().get(i), verb, depth + 1);
                    }
                    buf.append(']');
                }
            }
            case POINTER -> {
                GoPtr p = (GoPtr) value;
                GoType.Kind ek = GoValues.kind(p.elem);
                if (depth == 0 && (ek == GoType.Kind.SLICE || ek == GoType.Kind.STRUCT || ek == GoType.Kind.MAP)) {
                    buf.append('&');
                    printValue(p.elem, verb, depth + 1);
                    return;
                }
                fmtPointer(value, verb);
            }
            default -> buf.append('?').append(t.name).append('?');
        }
    }

    /**
     * A time.Time under a verb its String method does not serve (%d, %g, ...): fmt prints the struct,
     * {wall ext loc}. Our times carry no monotonic reading, so wall is the nanoseconds, ext the seconds
     * since January 1, year 1, and loc the nil *time.Location that stands for UTC.
     */
    private void printTimeFields(GoTime tm, int verb, int depth) {
        buf.append('{');
        if (plusV) buf.append("wall:");
        printValue(new GoInt(tm.nsec(), GoType.UINT64), verb, depth + 1);
        buf.append(' ');
        if (plusV) buf.append("ext:");
        printValue(new GoInt(tm.sec() + 62135596800L, GoType.INT64), verb, depth + 1);
        buf.append(' ');
        if (plusV) buf.append("loc:");
        switch (verb) {
            case 'v', 's', 'x', 'X', 'q' -> fmtString("UTC", verb); // (*time.Location)(nil).String()
            case 'p' -> fmt0x64(0, !sharp);
            case 'b', 'o', 'd' -> fmtInteger(0, false, verb);
            default -> {
                buf.append("%!").appendCodePoint(verb).append("(*time.Location=<nil>)");
            }
        }
        buf.append('}');
    }

    /**
     * Go prints a pointer's address. Tally has no addresses; it prints a stable fake one per pointer object,
     * so output has Go's shape (0xc000...) but not Go's numbers (which vary from run to run anyway).
     */
    private static long fakeAddress(Object p) {
        return 0xc000000000L + ((System.identityHashCode(p) & 0xffffffL) << 4);
    }

    private void fmtPointer(Object value, int verb) {
        if (!(value instanceof GoPtr)) {
            badVerb(verb, value);
            return;
        }
        long u = fakeAddress(value);
        switch (verb) {
            case 'v' -> {
                if (sharpV) {
                    buf.append('(').append(GoValues.typeOf(value).name).append(")(");
                    fmt0x64(u, true);
                    buf.append(')');
                } else {
                    fmt0x64(u, !sharp);
                }
            }
            case 'p' -> fmt0x64(u, !sharp);
            case 'b', 'o', 'd', 'x', 'X' -> fmtInteger(u, false, verb);
            default -> badVerb(verb, value);
        }
    }

    /** The %!verb(type=value) text for an operand the verb does not apply to. */
    private void badVerb(int verb, Object ignored) {
        erroring = true;
        buf.append("%!").appendCodePoint(verb).append('(');
        Object a = arg;
        if (a != null) {
            buf.append(GoValues.typeOf(a).name).append('=');
            printArg(a, 'v');
        } else {
            buf.append("<nil>");
        }
        buf.append(')');
        erroring = false;
    }

    // ---- per-kind formatting (fmt's print.go) ----

    private void fmtBool(boolean v, int verb) {
        if (verb == 't' || verb == 'v') padString(v ? "true" : "false");
        else badVerb(verb, v);
    }

    private void fmt0x64(long v, boolean leading0x) {
        boolean s = sharp;
        sharp = leading0x;
        fmtIntegerBase(v, 16, false, 'v', LDIGITS);
        sharp = s;
    }

    private void fmtInteger(long v, boolean signed, int verb) {
        switch (verb) {
            case 'v' -> {
                if (sharpV && !signed) fmt0x64(v, true);
                else fmtIntegerBase(v, 10, signed, verb, LDIGITS);
            }
            case 'd' -> fmtIntegerBase(v, 10, signed, verb, LDIGITS);
            case 'b' -> fmtIntegerBase(v, 2, signed, verb, LDIGITS);
            case 'o', 'O' -> fmtIntegerBase(v, 8, signed, verb, LDIGITS);
            case 'x' -> fmtIntegerBase(v, 16, signed, verb, LDIGITS);
            case 'X' -> fmtIntegerBase(v, 16, signed, verb, UDIGITS);
            case 'c' -> fmtC(v);
            case 'q' -> fmtQc(v);
            case 'U' -> fmtUnicode(v);
            default -> badVerb(verb, null);
        }
    }

    private void fmtFloat(double v, int verb) {
        switch (verb) {
            case 'v' -> fmtFloatF(v, 'g', -1);
            case 'b', 'g', 'G', 'x', 'X' -> fmtFloatF(v, (char) verb, -1);
            case 'f', 'e', 'E' -> fmtFloatF(v, (char) verb, 6);
            case 'F' -> fmtFloatF(v, 'f', 6);
            default -> badVerb(verb, null);
        }
    }

    private void fmtComplex(GoComplex c, int verb) {
        switch (verb) {
            case 'v', 'b', 'g', 'G', 'x', 'X', 'f', 'F', 'e', 'E' -> {
                boolean oldPlus = plus;
                buf.append('(');
                fmtFloat(c.re(), verb);
                plus = true;
                fmtFloat(c.im(), verb);
                buf.append("i)");
                plus = oldPlus;
            }
            default -> badVerb(verb, null);
        }
    }

    private void fmtString(String v, int verb) {
        switch (verb) {
            case 'v' -> {
                if (sharpV) fmtQ(v);
                else fmtS(v);
            }
            case 's' -> fmtS(v);
            case 'x' -> fmtSx(v, LDIGITS);
            case 'X' -> fmtSx(v, UDIGITS);
            case 'q' -> fmtQ(v);
            default -> badVerb(verb, null);
        }
    }

    // ---- low-level formatting (fmt's format.go) ----

    private static final String LDIGITS = "0123456789abcdefx";
    private static final String UDIGITS = "0123456789ABCDEFX";

    private void writePadding(int n) {
        if (n <= 0) return;
        char c = zero ? '0' : ' ';
        for (int i = 0; i < n; i++) buf.append(c);
    }

    private void pad(String s) {
        if (!widPresent || wid == 0) {
            buf.append(s);
            return;
        }
        int width = wid - s.codePointCount(0, s.length());
        if (!minus) {
            writePadding(width);
            buf.append(s);
        } else {
            buf.append(s);
            writePadding(width);
        }
    }

    private void padString(String s) {
        pad(s);
    }

    private void fmtIntegerBase(long u, int base, boolean signed, int verb, String digits) {
        boolean negative = signed && u < 0;
        // Magnitude as an unsigned 64-bit value (Long.MIN_VALUE's magnitude is 2^63).
        if (negative) u = -u;
        int precision = 0;
        if (precPresent) {
            precision = prec;
            if (precision == 0 && u == 0) {
                boolean oldZero = zero;
                zero = false;
                writePadding(wid);
                zero = oldZero;
                return;
            }
        } else if (zero && widPresent) {
            precision = wid;
            if (negative || plus || space) precision--;
        }
        StringBuilder b = new StringBuilder();
        String num = switch (base) {
            case 10 -> Long.toUnsignedString(u);
            case 16 -> Long.toHexString(u);
            case 8 -> Long.toOctalString(u);
            default -> Long.toBinaryString(u);
        };
        if (digits == UDIGITS) num = num.toUpperCase(java.util.Locale.ROOT);
        for (int k = num.length(); k < precision; k++) b.append('0');
        b.append(num);
        if (sharp) {
            switch (base) {
                case 2 -> b.insert(0, "0b");
                case 8 -> {
                    if (b.charAt(0) != '0') b.insert(0, '0');
                }
                case 16 -> b.insert(0, "0" + digits.charAt(16));
                default -> {
                }
            }
        }
        if (verb == 'O') b.insert(0, "0o");
        if (negative) b.insert(0, '-');
        else if (plus) b.insert(0, '+');
        else if (space) b.insert(0, ' ');
        boolean oldZero = zero;
        zero = false;
        pad(b.toString());
        zero = oldZero;
    }

    private void fmtUnicode(long u) {
        StringBuilder b = new StringBuilder("U+");
        String hex = Long.toHexString(u).toUpperCase(java.util.Locale.ROOT);
        int p = precPresent && prec > 4 ? prec : 4;
        for (int k = hex.length(); k < p; k++) b.append('0');
        b.append(hex);
        if (sharp && u >= 0 && u <= Character.MAX_CODE_POINT && GoStrconv.isPrint((int) u) && !(u >= 0xD800 && u <= 0xDFFF)) {
            b.append(" '").appendCodePoint((int) u).append('\'');
        }
        boolean oldZero = zero;
        zero = false;
        pad(b.toString());
        zero = oldZero;
    }

    private static int runeOf(long c) {
        if (c < 0 || c > Character.MAX_CODE_POINT || (c >= 0xD800 && c <= 0xDFFF)) return 0xFFFD;
        return (int) c;
    }

    private void fmtC(long c) {
        pad(new String(Character.toChars(runeOf(c))));
    }

    private void fmtQc(long c) {
        pad(GoStrconv.quoteRune(runeOf(c), plus));
    }

    private String truncate(String s) {
        if (precPresent) {
            int n = prec;
            for (int i = 0; i < s.length(); ) {
                n--;
                if (n < 0) return s.substring(0, i);
                i += Character.charCount(s.codePointAt(i));
            }
        }
        return s;
    }

    private void fmtS(String s) {
        pad(truncate(s));
    }

    private void fmtSx(String s, String digits) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int length = b.length;
        if (precPresent && prec < length) length = prec;
        int width = 2 * length;
        if (width > 0) {
            if (space) {
                if (sharp) width *= 2;
                width += length - 1;
            } else if (sharp) {
                width += 2;
            }
        } else {
            if (widPresent) writePadding(wid);
            return;
        }
        if (widPresent && wid > width && !minus) writePadding(wid - width);
        if (sharp) buf.append('0').append(digits.charAt(16));
        for (int i = 0; i < length; i++) {
            if (space && i > 0) {
                buf.append(' ');
                if (sharp) buf.append('0').append(digits.charAt(16));
            }
            int c = b[i] & 0xff;
            buf.append(digits.charAt(c >> 4)).append(digits.charAt(c & 0xF));
        }
        if (widPresent && wid > width && minus) writePadding(wid - width);
    }

    private void fmtQ(String s) {
        s = truncate(s);
        if (sharp && GoStrconv.canBackquote(s)) {
            padString("`" + s + "`");
            return;
        }
        pad(plus ? GoStrconv.quoteToASCII(s) : GoStrconv.quote(s));
    }

    /** fmt's fmtFloat: sign and padding rules, Inf/NaN never zero-padded, '#' keeps the decimal point. */
    private void fmtFloatF(double v, char verb, int precision) {
        if (precPresent) precision = prec;
        String s;
        if (verb == 'b') s = binaryFloat(v);
        else if (verb == 'x' || verb == 'X') s = hexFloat(v, precision, verb);
        else s = GoFloats.format(v, verb, precision);
        StringBuilder num = new StringBuilder(s);
        if (num.charAt(0) == '-' || num.charAt(0) == '+') {
            // keep the sign
        } else {
            num.insert(0, '+');
        }
        if (space && num.charAt(0) == '+' && !plus) num.setCharAt(0, ' ');
        if (num.length() > 1 && (num.charAt(1) == 'I' || num.charAt(1) == 'N')) {
            boolean oldZero = zero;
            zero = false;
            if (num.charAt(1) == 'N' && !space && !plus) num.deleteCharAt(0);
            pad(num.toString());
            zero = oldZero;
            return;
        }
        if (sharp && verb != 'b') {
            int digits = 0;
            if (verb == 'v' || verb == 'g' || verb == 'G' || verb == 'x') {
                digits = precision;
                if (digits == -1) digits = 6;
            }
            String tail = "";
            boolean hasDecimalPoint = false, sawNonzeroDigit = false;
            for (int i = 1; i < num.length(); i++) {
                char c = num.charAt(i);
                if (c == '.') {
                    hasDecimalPoint = true;
                } else if (c == 'p' || c == 'P') {
                    tail = num.substring(i);
                    num.setLength(i);
                    break;
                } else if ((c == 'e' || c == 'E') && verb != 'x' && verb != 'X') {
                    tail = num.substring(i);
                    num.setLength(i);
                    break;
                } else {
                    if (c != '0') sawNonzeroDigit = true;
                    if (sawNonzeroDigit) digits--;
                }
            }
            if (!hasDecimalPoint) {
                if (num.length() == 2 && num.charAt(1) == '0') digits--;
                num.append('.');
            }
            while (digits > 0) {
                num.append('0');
                digits--;
            }
            num.append(tail);
        }
        if (plus || num.charAt(0) != '+') {
            if (zero && widPresent && wid > num.length()) {
                buf.append(num.charAt(0));
                writePadding(wid - num.length());
                buf.append(num, 1, num.length());
                return;
            }
            pad(num.toString());
            return;
        }
        pad(num.substring(1));
    }

    /** strconv 'b' format: mantissa "p" binary exponent. */
    private static String binaryFloat(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        long bits = Double.doubleToRawLongBits(v);
        boolean neg = bits < 0;
        int exp = (int) ((bits >>> 52) & 0x7ff);
        long mant = bits & ((1L << 52) - 1);
        if (exp == 0) exp++;
        else mant |= 1L << 52;
        exp += -1023 - 52;
        return (neg ? "-" : "") + mant + "p" + (exp >= 0 ? "+" : "") + exp;
    }

    /** strconv 'x'/'X' format: 0x1.fffp+10, rounded to the precision when one is given. */
    private static String hexFloat(double v, int prec, char fmt) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        long bits = Double.doubleToRawLongBits(v);
        boolean neg = bits < 0;
        int exp = (int) ((bits >>> 52) & 0x7ff);
        long mant = bits & ((1L << 52) - 1);
        if (exp == 0) exp++;
        else mant |= 1L << 52;
        exp += -1023;
        if (mant == 0) exp = 0;
        mant <<= 60 - 52;
        while (mant != 0 && (mant & (1L << 60)) == 0) {
            mant <<= 1;
            exp--;
        }
        if (prec >= 0 && prec < 15) {
            int shift = prec * 4;
            long extra = (mant << shift) & ((1L << 60) - 1);
            mant >>>= 60 - shift;
            if (Long.compareUnsigned(extra | (mant & 1), 1L << 59) > 0) mant++;
            mant <<= 60 - shift;
            if ((mant & (1L << 61)) != 0) {
                mant >>>= 1;
                exp++;
            }
        }
        String hex = fmt == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
        StringBuilder b = new StringBuilder();
        if (neg) b.append('-');
        b.append('0').append(fmt).append((char) ('0' + ((mant >>> 60) & 1)));
        mant <<= 4;
        if (prec < 0 && mant != 0) {
            b.append('.');
            while (mant != 0) {
                b.append(hex.charAt((int) ((mant >>> 60) & 15)));
                mant <<= 4;
            }
        } else if (prec > 0) {
            b.append('.');
            for (int i = 0; i < prec; i++) {
                b.append(hex.charAt((int) ((mant >>> 60) & 15)));
                mant <<= 4;
            }
        }
        b.append(fmt == 'X' ? 'P' : 'p');
        if (exp < 0) {
            b.append('-');
            exp = -exp;
        } else {
            b.append('+');
        }
        if (exp < 10) b.append('0');
        b.append(exp);
        return b.toString();
    }
}
