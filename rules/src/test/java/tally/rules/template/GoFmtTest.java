package tally.rules.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Go's fmt.Sprintf as templates' printf uses it. The expected strings were printed by Go's fmt for the
 * same format and operands (int operands are Go int, i64/u64 are int64/uint64).
 */
class GoFmtTest {
    private record V(String want, String format, List<Object> args) {}

    private static V v(String want, String format, Object... args) {
        // A lone null operand arrives as a null array.
        return new V(want, format, args == null ? java.util.Collections.singletonList(null) : Arrays.asList(args));
    }

    private static GoValues.GoInt i64(long x) {
        return new GoValues.GoInt(x, GoType.INT64);
    }

    private static GoValues.GoInt u64(long x) {
        return new GoValues.GoInt(x, GoType.UINT64);
    }

    private static final List<V> VECTORS = List.of(
            v("1e+06", "%v", 1e6),
            v("1234.5", "%v", 1234.5),
            v("100000", "%v", 100000.0),
            v("1.23456789e+08", "%v", 123456789.0),
            v("0.0001", "%v", 0.0001),
            v("1e-05", "%v", 0.00001),
            v("-0", "%v", -0.0),
            v("0", "%v", 0.0),
            v("1e+21", "%v", 1e21),
            v("1e+20", "%v", 1e20),
            v("0.1", "%v", 0.1),
            v("0.3", "%v", 0.3),
            v("2.5e-08", "%v", 2.5e-8),
            v("5e-324", "%v", 5e-324),
            v("1.7976931348623157e+308", "%v", 1.7976931348623157e308),
            v("9.007199254740992e+15", "%v", 9007199254740993.0),
            v("123456.789", "%v", 123456.789),
            v("+Inf", "%v", Double.POSITIVE_INFINITY),
            v("-Inf", "%v", Double.NEGATIVE_INFINITY),
            v("NaN", "%v", Double.NaN),
            v("NaN", "%f", Double.NaN),
            v("  NaN", "%5.2f", Double.NaN),
            v("NaN", "%+v", Double.NaN),
            v(" -Inf", "%05v", Double.NEGATIVE_INFINITY),
            v("0.12", "%.2f", 0.125),
            v("0.38", "%.2f", 0.375),
            v("0.2", "%.1f", 0.25),
            v("0.3", "%.1f", 0.35),
            v("0", "%.0f", 0.5),
            v("2", "%.0f", 1.5),
            v("2", "%.0f", 2.5),
            v("2.001", "%.3f", 2.0005),
            v("0.1", "%.1f", 0.06),
            v("0.0", "%.1f", 0.0006),
            v("1000000000000000000000.000000", "%f", 1e21),
            v("123.456000", "%f", 123.456),
            v("1.234560e+02", "%e", 123.456),
            v("0.000000E+00", "%E", 0.0),
            v("1.235e+06", "%.3e", 1234567.0),
            v("1.234567e+06", "%g", 1234567.0),
            v("1.235e+06", "%.4g", 1234567.0),
            v("1.235", "%.4g", 1.2345678),
            v("100", "%.4g", 100.0),
            v("0.0001234", "%.4g", 0.0001234),
            v("1.234e-05", "%.4g", 0.00001234),
            v("1e-05", "%.4g", 1e-05),
            v("1.234e+05", "%.4g", 123450.0),
            v("1.234e+04", "%.4g", 12345.0),
            v("1e+04", "%.4g", 9999.5),
            v("-22.22", "%.4g", -22.222),
            v("0", "%.4g", 0.0),
            v("1e+01", "%.0g", 12.0),
            v("1E-20", "%G", 1e-20),
            v("1.00000", "%#g", 1.0),
            v("1.00", "%#.3g", 1.0),
            v("1", "%#v", 1.0),
            v("3.", "%#.0f", 3.0),
            v("3.000000e+00", "%#e", 3.0),
            v("   3.142", "%8.3f", 3.14159),
            v("3.142   |", "%-8.3f|", 3.14159),
            v("-003.142", "%08.3f", -3.14159),
            v("+3.00", "%+.2f", 3.0),
            v(" 3.00", "% .2f", 3.0),
            v("+0000042", "%+08d", 42L),
            v(" 42", "% d", 42L),
            v("0x1.8p+00", "%x", 1.5),
            v("-0X1.001P+10", "%X", -1024.25),
            v("0x1.000p+00", "%.3x", 1.0),
            v("4503599627370496p-52", "%b", 1.0),
            v("7205759403792794p-56", "%b", 0.1),
            v("42", "%d", 42L),
            v("   42", "%5d", 42L),
            v("42   |", "%-5d|", 42L),
            v("-0042", "%05d", -42L),
            v("007", "%03d", 7L),
            v("007", "%.3d", 7L),
            v("", "%.0d", 0L),
            v("     ", "%5.0d", 0L),
            v("ff", "%x", 255L),
            v("FF", "%X", 255L),
            v("0xff", "%#x", 255L),
            v("010", "%#o", 8L),
            v("10", "%o", 8L),
            v("0o10", "%O", 8L),
            v("101", "%b", 5L),
            v("0b101", "%#b", 5L),
            v("A", "%c", 65L),
            v("\ud83d\ude00", "%c", 128512L),
            v("'A'", "%q", 65L),
            v("'\\u00e9'", "%+q", 233L),
            v("U+0041", "%U", 65L),
            v("U+0041 'A'", "%#U", 65L),
            v("U+00A0", "%#U", 160L),
            v("18446744073709551615", "%d", u64(Long.parseUnsignedLong("18446744073709551615"))),
            v("18446744073709551615", "%v", u64(Long.parseUnsignedLong("18446744073709551615"))),
            v("-ff", "%x", i64(-255L)),
            v("-9223372036854775808", "%d", i64(Long.MIN_VALUE)),
            v("abc", "%s", "abc"),
            v("       abc|", "%10s|", "abc"),
            v("abc       |", "%-10s|", "abc"),
            v("ab", "%.2s", "abcdef"),
            v("    h|", "%5.1s|", "h\u00e9llo"),
            v("\"a\\\"b\\n\"", "%q", "a\"b\n"),
            v("\"h\\u00e9llo\\u263a\"", "%+q", "h\u00e9llo\u263a"),
            v("`abc`", "%#q", "abc"),
            v("\"a`b\"", "%#q", "a`b"),
            v("68656c6c6f", "%x", "hello"),
            v("68 69", "% x", "hi"),
            v("0x68 0x69", "%# x", "hi"),
            v("0x6869", "%#x", "hi"),
            v("68C3A96C6C6F", "%X", "h\u00e9llo"),
            v("abc", "%v", "abc"),
            v("\"abc\"", "%#v", "abc"),
            v("%!d(string=abc)", "%d", "abc"),
            v("%!d(string=  abc)", "%5d", "abc"),
            v("%!s(int=42)", "%s", 42L),
            v("%!s(float64=1.5)", "%s", 1.5),
            v("true", "%t", true),
            v("false", "%v", false),
            v(" true|", "%5t|", true),
            v("%!d(bool=true)", "%d", true),
            v("%!s(<nil>)", "%s", null),
            v("<nil>", "%v", null),
            v("%!d(<nil>)", "%d", null),
            v("1 %!d(MISSING)", "%d %d", 1L),
            v("1%!(EXTRA int=2)", "%d", 1L, 2L),
            v("1%!(EXTRA string=x, <nil>)", "%d", 1L, "x", null),
            v("%!!(int=1)", "%!", 1L),
            v("%!(NOVERB)%!(EXTRA int=1)", "%", 1L),
            v("%!z(int=1)", "%z", 1L),
            v("2 1", "%[2]d %[1]d", 1L, 2L),
            v("%!d(BADINDEX)", "%[3]d", 1L, 2L),
            v("1 2", "%[1]d %d", 1L, 2L),
            v("   42", "%*d", 5L, 42L),
            v("42   |", "%-*d|", 5L, 42L),
            v("3.14", "%.*f", 2L, 3.14159),
            v("%!(BADWIDTH)42", "%*d", "x", 42L),
            v("%!(BADPREC)42", "%.*d", -1L, 42L),
            v("float64", "%T", 1.0),
            v("string", "%T", "x"),
            v("<nil>", "%T", null),
            v("uint64", "%T", u64(Long.parseUnsignedLong("1"))),
            v("%%!(EXTRA int=1)", "%%", 1L),
            v("100%", "100%%"),
            v("%", "%5%"),
            v("50%", "%v%%", 50.0),
            v(" 99.50%", "%6.2f%%", 99.5),
            v("a %!s(MISSING)", "%s %s", "a"),
            v("%!!(int=1)d(BADINDEX)", "%!d(BADINDEX)", 1L),
            v("%!d(BADINDEX)", "%[0]d", 1L),
            v("%!d(BADINDEX)", "%[x]d", 1L),
            v("5", "%.d", 5L),
            v("1.000000e+100", "%e", 1e100),
            v("9.99e+00", "%.2e", 9.995),
            v("9.98e+00", "%.2e", 9.985),
            v("1e-05", "%g", 1e-5),
            v("0.0001", "%g", 0.0001),
            v("0.0001", "%.3g", 0.0001),
            v("100000", "%g", 100000.0),
            v("1e+06", "%g", 1e6),
            v("1234567", "%.10g", 1234567.0),
            v("0.10000000000000000555", "%.20f", 0.1),
            v("0.10000000000000001", "%.17g", 0.1),
            v("1.000000000000000000000000000000e+00", "%.30e", 1.0),
            v("\ufffd", "%c", -1L),
            v("\"\"", "%q", ""),
            v("", "%x", ""),
            v("     |", "%5x|", ""));

    @TestFactory
    Stream<DynamicTest> sprintfMatchesGo() {
        return VECTORS.stream().map(c -> DynamicTest.dynamicTest(c.format() + " " + c.args(),
                () -> assertEquals(c.want(), GoFmt.sprintf(c.format(), c.args()))));
    }

    @Test
    void printAndPrintln() {
        // Sprint puts spaces only between operands that are not strings.
        assertEquals("1 2ab3.5 <nil>", GoFmt.sprint(Arrays.asList(1L, 2L, "a", "b", 3.5, null)));
        assertEquals("1 a\n", GoFmt.sprintln(List.of(1L, "a")));
        assertEquals("map[a:1 b:x]", GoFmt.sprint1(new GoValues.GoMap(GoType.MAP_STRING_ANY,
                new java.util.TreeMap<>(java.util.Map.of("b", "x", "a", 1L)))));
    }

    /** %v of a float64 prints the shortest digits that read back as the same float, with Go's exponent rule. */
    @Test
    void shortestFloatsRoundTripAndAreShortest() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 1000; i++) {
            double d = switch (i % 3) {
                case 0 -> Double.longBitsToDouble(r.nextLong());
                case 1 -> r.nextDouble() * Math.pow(10, r.nextInt(-30, 30));
                default -> r.nextInt(1_000_000) / 1000.0;
            };
            if (Double.isNaN(d) || Double.isInfinite(d)) continue;
            String s = GoFloats.format(d, 'e', -1);
            assertEquals(d, Double.parseDouble(s), s);
            String mantissa = s.substring(0, s.indexOf('e')).replace("-", "").replace(".", "");
            if (mantissa.length() > 1) {
                // No shorter mantissa reads back as d.
                BigDecimal shorter = new BigDecimal(d).round(new java.math.MathContext(mantissa.length() - 1, java.math.RoundingMode.HALF_EVEN));
                assertTrue(Double.parseDouble(shorter.toString()) != d || shorter.stripTrailingZeros().precision() >= mantissa.length(), s);
            }
        }
    }

    @Test
    void timesUnderVerbsWithoutStringMethodPrintTheirFields() throws Exception {
        // As Go prints a time.Time's struct: {wall ext loc}, loc being the nil *time.Location of UTC.
        assertEquals("&{500000000 62135596801 0}|1970-01-01 00:00:03 +0000 UTC|&{%!t(uint64=0) %!t(int64=62135596800) %!t(*time.Location=<nil>)}",
                Fixtures.expand("{{ printf \"%d|%+v|%t\" (toTime 1.5) ((toTime 2).Add (toDuration 1)) (toTime 0) }}"));
        assertEquals("time.Date(1970, time.January, 1, 0, 0, 1, 500000000, time.UTC)", Fixtures.expand("{{ printf \"%#v\" (toTime 1.5) }}"));
    }

    @Test
    void goExponentRuleForValue() {
        assertEquals("1e+06", GoFloats.shortestG(1e6));
        assertEquals("100000", GoFloats.shortestG(100000));
        assertEquals("1234.5", GoFloats.shortestG(1234.5));
        assertEquals("1.23456789e+08", GoFloats.shortestG(123456789));
        assertEquals("0.0001", GoFloats.shortestG(0.0001));
        assertEquals("1e-05", GoFloats.shortestG(0.00001));
        assertEquals("-0", GoFloats.shortestG(-0.0));
        assertEquals("5e-324", GoFloats.shortestG(Double.MIN_VALUE));
        assertEquals("1.7976931348623157e+308", GoFloats.shortestG(Double.MAX_VALUE));
    }
}
