package tally.promql.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tally.model.Labels;
import tally.model.StaleNaN;

class SeriesDescParserTest {
    private static List<SeqValue> values(String line) {
        return SeriesDescParser.parse(line).values();
    }

    private static String expand(String line) {
        StringBuilder sb = new StringBuilder();
        for (SeqValue v : values(line)) sb.append(sb.length() == 0 ? "" : " ").append(v);
        return sb.toString();
    }

    @Test
    void expandsEveryValueNotation() {
        assertEquals("0 10 20 30", expand("m 0+10x3"));
        assertEquals("1 -1 -3 -5 -7", expand("m 1-2x4"));
        assertEquals("-1 -3 -5", expand("m -1-2x2"));
        assertEquals("1 1 1 1 1", expand("m 1x4"));
        assertEquals("1 _ 3 stale 5 NaN -Inf +Inf", expand("m 1 _ 3 stale 5 NaN -Inf +Inf"));
        assertEquals("_ _ _ 7", expand("m _x3 7"));
        assertEquals("2.5 -2.5 10000000000 0.001", expand("m 2.5 -2.5 1e10 1e-3"));
        assertEquals("NaN +Inf -Inf", expand("m nan inf -INF"));
    }

    @Test
    void hexIsNotANumberButZeroRepeated() {
        List<SeqValue> v = values("m 0x10");
        assertEquals(11, v.size());
        assertTrue(v.stream().allMatch(s -> s.value() == 0));
    }

    @Test
    void incrementsAccumulateLikeGoFloatAddition() {
        List<SeqValue> v = values("m 0.1+0.1x3");
        assertEquals(0.1 + 0.1 + 0.1, v.get(2).value()); // 0.30000000000000004, not 0.1 + 2*0.1
        assertEquals(0.1 + 0.1 + 0.1 + 0.1, v.get(3).value());
    }

    @Test
    void staleIsTheExactStalenessMarker() {
        assertTrue(StaleNaN.is(values("m stale").get(0).value()));
        assertTrue(!StaleNaN.is(values("m NaN").get(0).value()));
    }

    @Test
    void parsesEveryLabelSyntax() {
        assertEquals(Labels.of("__name__", "http_requests", "job", "api", "instance", "0"),
                SeriesDescParser.parse("http_requests{job=\"api\", instance='0'} 1").labels());
        assertEquals(Labels.of("__name__", "weird", "a", "b"), SeriesDescParser.parse("{__name__=\"weird\", a=\"b\"} 1x3").labels());
        assertEquals(Labels.of("__name__", "my.metric", "a", "b"), SeriesDescParser.parse("{\"my.metric\", a=\"b\"} 1").labels());
        assertEquals(Labels.of("a.b", "x\ny"), SeriesDescParser.parse("{\"a.b\"=`x\ny`} 1").labels());
        assertEquals(Labels.of("l", "\"q\"\t\u00e9"), SeriesDescParser.parse("{l=\"\\\"q\\\"\\t\\u00e9\",} 1").labels());
        assertEquals(Labels.EMPTY, SeriesDescParser.parse("{} 1").labels());
        assertEquals(Labels.of("__name__", "sum"), SeriesDescParser.parse("sum 1").labels());
        assertEquals(Labels.of("__name__", "a:b_c"), SeriesDescParser.parse("a:b_c\t1").labels());
    }

    @Test
    void recognisesHistogramLiteralsWithoutInterpretingThem() {
        SeriesLine s = SeriesDescParser.parse("h {{schema:0 sum:5 count:4 buckets:[1 2 1]}} 3 {{count:1}}x2 {{sum:1}}+{{sum:2}}x1");
        assertTrue(s.hasHistogram());
        assertEquals("{{histogram}} 3 {{histogram}} {{histogram}} {{histogram}} {{histogram}} {{histogram}}",
                String.join(" ", s.values().stream().map(SeqValue::toString).toList()));
    }

    @Test
    void rejectsMalformedLines() {
        assertThrows(IllegalArgumentException.class, () -> SeriesDescParser.parse("m 1+2"));
        assertThrows(IllegalArgumentException.class, () -> SeriesDescParser.parse("m{a=\"b\" 1"));
        assertThrows(IllegalArgumentException.class, () -> SeriesDescParser.parse("m{a} 1"));
        assertThrows(IllegalArgumentException.class, () -> SeriesDescParser.parse("m abc"));
        assertThrows(IllegalArgumentException.class, () -> SeriesDescParser.parse("1 2"));
    }
}
