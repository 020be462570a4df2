package tally.server.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PromFormatTest {
    /** The plain decimal of the shortest repr, as Go's strconv.FormatFloat(v, 'f', -1, 64) writes it. */
    private static String reference(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    @Test
    void specialValues() {
        assertEquals("+Inf", PromFormat.le(Double.POSITIVE_INFINITY));
        assertEquals("-Inf", PromFormat.le(Double.NEGATIVE_INFINITY));
        assertEquals("NaN", PromFormat.le(Double.NaN));
        assertEquals("0", PromFormat.le(0.0));
        assertEquals("0", PromFormat.le(-0.0));
    }

    @Test
    void wholeAndFractionalBoundsMatchTheDecimalForm() {
        double[] known = {1, 5, 10, 250, 1e6, 1e15, 1e16, 1e21, 9007199254740991d, 9007199254740992d, -3, 0.005, 0.1, 2.5,
                0.30000000000000004, 1e-9, 123.456, -0.25, 1.7976931348623157e308, Double.MIN_VALUE};
        for (double v : known) {
            assertEquals(reference(v), PromFormat.le(v), Double.toString(v));
            assertEquals(reference(v), PromFormat.le(v), "again, from the cache: " + v);
        }
        assertEquals("1000000000000000000000", PromFormat.le(1e21));
        assertEquals("0.005", PromFormat.le(0.005));
        Random r = new Random(11);
        for (int i = 0; i < 20_000; i++) {
            double v = switch (i % 4) {
                case 0 -> r.nextInt(100_000);
                case 1 -> r.nextInt(1000) / 1000.0;
                case 2 -> Double.longBitsToDouble(r.nextLong());
                default -> Math.scalb(r.nextDouble(), r.nextInt(120) - 60);
            };
            if (Double.isNaN(v) || Double.isInfinite(v)) continue;
            assertEquals(reference(v), PromFormat.le(v), Double.toString(v));
        }
    }
}
