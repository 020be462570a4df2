package tally.forward.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;
import tally.model.Labels;
import tally.model.MetricMetadata;
import tally.model.StaleNaN;

class RemoteWriteEncoderTest {
    private static final RemoteWriteV1Encoder V1 = new RemoteWriteV1Encoder();
    private static final RemoteWriteV2Encoder V2 = new RemoteWriteV2Encoder();

    private static Decoded v1(SendBatch b) throws Exception {
        return Decoded.v1(V1.encodeCompressed(b));
    }

    private static Decoded v2(SendBatch b) throws Exception {
        return Decoded.v2(V2.encodeCompressed(b));
    }

    private static List<String> kv(String... s) {
        return List.of(s);
    }

    @Test
    void headersPerSpec() {
        assertEquals("application/x-protobuf", V1.contentType());
        assertEquals("0.1.0", V1.versionHeader());
        assertEquals("application/x-protobuf;proto=io.prometheus.write.v2.Request", V2.contentType());
        assertEquals("2.0.0", V2.versionHeader());
        assertEquals(ProtobufMessage.V1, RemoteWriteEncoder.of(ProtobufMessage.V1).message());
        assertEquals(ProtobufMessage.V2, RemoteWriteEncoder.of(ProtobufMessage.V2).message());
        assertTrue(V1.sendsMetadataSeparately());
        assertTrue(!V2.sendsMetadataSeparately());
        assertThrows(UnsupportedOperationException.class, () -> V2.encodeMetadata(List.of()));
    }

    @Test
    void samplesAreGroupedPerSeriesInOrderOfFirstSample() throws Exception {
        SendBatch b = new SendBatch();
        Labels a = Labels.of("__name__", "up", "job", "a");
        Labels c = Labels.of("__name__", "up", "job", "c", "instance", "i");
        b.add(7, a, null, 1000, 1);
        b.add(3, c, null, 1000, 0);
        b.add(7, a, null, 2000, 2);
        b.add(3, c, null, 2000, 1);
        b.add(7, a, null, 3000, 3);
        assertEquals(5, b.samples());
        assertEquals(2, b.series());
        assertEquals(1000, b.minTime());
        assertEquals(3000, b.maxTime());
        for (Decoded d : List.of(v1(b), v2(b))) {
            assertEquals(2, d.series().size());
            assertEquals(kv("__name__", "up", "job", "a"), d.series().get(0).labels());
            assertEquals(kv("__name__", "up", "instance", "i", "job", "c"), d.series().get(1).labels(), "sorted by name");
            assertArrayEquals(new long[] {1000, 2000, 3000}, d.series().get(0).timestamps());
            assertArrayEquals(new long[] {1000, 2000}, d.series().get(1).timestamps());
            assertEquals(Double.doubleToRawLongBits(3), d.series().get(0).samples().get(2)[1]);
            assertEquals(0L, d.series().get(1).samples().get(0)[1], "a +0.0 value (left out on the wire) decodes as 0");
        }
    }

    @Test
    void valueBitsSurviveExactly() throws Exception {
        long[] bits = {StaleNaN.BITS, Double.doubleToRawLongBits(Double.NaN), 0x7ff8000000000001L, 0xfff0000000000001L,
                Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(Double.POSITIVE_INFINITY),
                Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY), Double.doubleToRawLongBits(Double.MIN_VALUE),
                Double.doubleToRawLongBits(0.1), 0L};
        SendBatch b = new SendBatch();
        for (int i = 0; i < bits.length; i++) b.add(1, Labels.of("__name__", "x"), null, 1000L * i, Double.longBitsToDouble(bits[i]));
        for (Decoded d : List.of(v1(b), v2(b))) {
            List<long[]> s = d.series().get(0).samples();
            assertEquals(bits.length, s.size());
            for (int i = 0; i < bits.length; i++) {
                assertEquals(bits[i], s.get(i)[1], "value " + i + " bits " + Long.toHexString(bits[i]));
                assertEquals(1000L * i, s.get(i)[0]);
            }
        }
    }

    @Test
    void timestampsNegativeZeroAndLarge() throws Exception {
        long[] ts = {-5_000_000_000_000L, -1, 0, 1, Long.MAX_VALUE};
        SendBatch b = new SendBatch();
        for (long t : ts) b.add(1, Labels.of("__name__", "x"), null, t, 1);
        for (Decoded d : List.of(v1(b), v2(b))) assertArrayEquals(ts, d.series().get(0).timestamps());
        assertEquals(-5_000_000_000_000L, b.minTime());
        assertEquals(Long.MAX_VALUE, b.maxTime());
    }

    @Test
    void unicodeLabelsAreUtf8() throws Exception {
        String[] values = {"caf\u00e9", "\u65e5\u672c\u8a9e", "emoji \ud83d\ude00 and \ud834\udd1e", "\u0000nul", "\u07ff\u0800\uffff"};
        SendBatch b = new SendBatch();
        for (int i = 0; i < values.length; i++) {
            b.add(i, Labels.of("__name__", "m\u00fcnchen_total", "v", values[i], "\u540d", "x"), null, 1, 1);
        }
        for (Decoded d : List.of(v1(b), v2(b))) {
            for (int i = 0; i < values.length; i++) {
                assertEquals(values[i], d.labelMap(i).get("v"));
                assertEquals("m\u00fcnchen_total", d.labelMap(i).get("__name__"));
                assertEquals("x", d.labelMap(i).get("\u540d"));
            }
        }
        // an unpaired surrogate is not valid UTF-16: written as '?', as String.getBytes(UTF_8) does
        SendBatch u = new SendBatch();
        String broken = "a\ud800b\udc00";
        u.add(1, Labels.of("__name__", "x", "v", broken), null, 1, 1);
        String expect = new String(broken.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        assertEquals(expect, v1(u).labelMap(0).get("v"));
        assertEquals(expect, v2(u).labelMap(0).get("v"));
    }

    @Test
    void utf8LengthMatchesTheJdk() {
        SplittableRandom r = new SplittableRandom(7);
        for (int n = 0; n < 2000; n++) {
            StringBuilder sb = new StringBuilder();
            for (int i = r.nextInt(20); i > 0; i--) {
                int k = r.nextInt(5);
                sb.append(switch (k) {
                    case 0 -> (char) r.nextInt(0x80);
                    case 1 -> (char) (0x80 + r.nextInt(0x780));
                    case 2 -> (char) (0x800 + r.nextInt(0xF800));
                    case 3 -> new String(Character.toChars(0x10000 + r.nextInt(0x100000)));
                    default -> (char) (0xD800 + r.nextInt(0x800)); // lone surrogates
                });
            }
            String s = sb.toString();
            assertEquals(s.getBytes(StandardCharsets.UTF_8).length, ProtoWriter.utf8Length(s), s);
            ProtoWriter w = new ProtoWriter(1);
            w.string(1, s);
            byte[] got = java.util.Arrays.copyOf(w.buf, w.pos);
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(utf8, java.util.Arrays.copyOfRange(got, got.length - utf8.length, got.length), s);
        }
    }

    @Test
    void emptyLabelValuesAreLeftOutAndEmptyStringsKeptWhereNeeded() throws Exception {
        SendBatch b = new SendBatch();
        // wrapSorted does not drop empty values the way Labels.of does: the encoders must
        b.add(1, Labels.wrapSorted(new String[] {"__name__", "x", "empty", "", "job", "j"}), new MetricMetadata("gauge", "", ""), 1, 1);
        b.add(2, Labels.of("__name__", "y", "empty", ""), null, 1, 1);
        for (Decoded d : List.of(v1(b), v2(b))) {
            assertEquals(kv("__name__", "x", "job", "j"), d.series().get(0).labels());
            assertEquals(kv("__name__", "y"), d.series().get(1).labels());
        }
        Decoded d = v2(b);
        assertEquals("", d.symbols().get(0), "symbols[0] is the empty string");
        assertEquals(new Decoded.Meta(2, null, "", ""), d.series().get(0).metadata());
        assertNull(d.series().get(1).metadata(), "no metadata given: the field is left out");
    }

    @Test
    void v2SymbolsAreDistinctAndMetadataTravelsPerSeries() throws Exception {
        String[] types = {"counter", "gauge", "histogram", "gaugehistogram", "summary", "info", "stateset", "unknown", "bogus"};
        int[] numbers = {1, 2, 3, 4, 5, 6, 7, 0, 0};
        SendBatch b = new SendBatch();
        for (int i = 0; i < types.length; i++) {
            b.add(i, Labels.of("__name__", "m" + i, "job", "api", "instance", "h:9100"), new MetricMetadata(types[i], "Help " + (i % 2), "seconds"),
                    1000, i);
        }
        Decoded d = v2(b);
        assertEquals(d.symbols().size(), new java.util.HashSet<>(d.symbols()).size(), "no symbol twice: " + d.symbols());
        assertEquals("", d.symbols().get(0));
        // "", __name__, m0, instance, h:9100, job, api, Help 0, seconds, m1, Help 1, m2 ... m8
        assertEquals(1 + 8 + 9, d.symbols().size(), d.symbols().toString());
        for (int i = 0; i < types.length; i++) {
            assertEquals(Map.of("__name__", "m" + i, "job", "api", "instance", "h:9100"), d.labelMap(i));
            assertEquals(new Decoded.Meta(numbers[i], null, "Help " + (i % 2), "seconds"), d.series().get(i).metadata(), types[i]);
        }
        // the last metadata given for a series wins; null keeps what it had
        SendBatch m = new SendBatch();
        m.add(1, Labels.of("__name__", "c_total"), new MetricMetadata("gauge", "old", ""), 1, 1);
        m.add(1, Labels.of("__name__", "c_total"), new MetricMetadata("counter", "new", ""), 2, 2);
        m.add(1, Labels.of("__name__", "c_total"), null, 3, 3);
        assertEquals(new Decoded.Meta(1, null, "new", ""), v2(m).series().get(0).metadata());
    }

    @Test
    void v1MetadataRequest() throws Exception {
        Payload p = V1.encodeMetadata(List.of(Map.entry("http_requests_total", new MetricMetadata("counter", "Requests.", "")),
                Map.entry("temp", new MetricMetadata("gauge", "Temperature \u00b0C.", "celsius")),
                Map.entry("odd", new MetricMetadata("unknown", "", ""))));
        Decoded d = Decoded.v1(p.toByteArray());
        assertEquals(List.of(new Decoded.Meta(1, "http_requests_total", "Requests.", ""), new Decoded.Meta(2, "temp", "Temperature \u00b0C.", "celsius"),
                new Decoded.Meta(0, "odd", "", "")), d.metadata());
        assertEquals(0, d.series().size());
    }

    @Test
    void manySeriesBigSeriesAndReuseAfterClear() throws Exception {
        SendBatch b = new SendBatch();
        SplittableRandom r = new SplittableRandom(42);
        int seriesCount = 5000, samples = 0;
        List<long[]> expected = new ArrayList<>();
        for (int s = 0; s < seriesCount; s++) expected.add(new long[0]);
        // interleaved adds, each series' own samples in time order
        long[] nextT = new long[seriesCount];
        for (int i = 0; i < 30_000; i++) {
            int s = r.nextInt(seriesCount);
            long t = ++nextT[s] * 15_000;
            b.add(s * 31L + 5, Labels.of("__name__", "metric_" + (s % 17), "series", Integer.toString(s)), null, t, s + t / 1e6);
            samples++;
        }
        // one series with a label of 40 KiB (its time series message needs a 3-byte length)
        b.add(-1, Labels.of("__name__", "big", "v", "x".repeat(40 << 10)), null, 1, 1);
        samples++;
        assertEquals(samples, b.samples());
        for (int round = 0; round < 2; round++) {
            for (boolean v2 : new boolean[] {false, true}) {
                RemoteWriteEncoder enc = v2 ? V2 : V1;
                Payload p = enc.encode(b);
                assertEquals(b.samples(), p.samples());
                assertEquals(b.series(), p.series());
                byte[] raw = Snappy.uncompress(p.toByteArray());
                assertEquals(p.uncompressedLength(), raw.length);
                Decoded d = v2 ? Decoded.v2(p.toByteArray()) : Decoded.v1(p.toByteArray());
                assertEquals(b.series(), d.series().size());
                int total = 0;
                for (int i = 0; i < d.series().size(); i++) {
                    Map<String, String> lm = d.labelMap(i);
                    long[] t = d.series().get(i).timestamps();
                    total += t.length;
                    if (lm.get("__name__").equals("big")) {
                        assertEquals(40 << 10, lm.get("v").length());
                        continue;
                    }
                    int s = Integer.parseInt(lm.get("series"));
                    assertEquals(nextT[s], t.length);
                    for (int j = 0; j < t.length; j++) assertEquals((j + 1) * 15_000L, t[j]);
                }
                assertEquals(samples, total);
            }
        }
        // cleared and refilled, the same content encodes to the same bytes as a fresh batch
        b.clear();
        assertEquals(0, b.samples());
        assertEquals(0, b.series());
        assertEquals(Long.MAX_VALUE, b.minTime());
        SendBatch fresh = new SendBatch();
        for (SendBatch x : List.of(b, fresh)) {
            x.add(9, Labels.of("__name__", "a"), new MetricMetadata("counter", "h", ""), 5, 1);
            x.add(8, Labels.of("__name__", "b"), null, 5, 2);
            x.add(9, Labels.of("__name__", "a"), null, 6, 3);
        }
        assertArrayEquals(V1.encodeCompressed(fresh), V1.encodeCompressed(b));
        assertArrayEquals(V2.encodeCompressed(fresh), V2.encodeCompressed(b));
        Decoded d = v2(b);
        assertEquals(2, d.series().size());
        assertArrayEquals(new long[] {5, 6}, d.series().get(0).timestamps());
    }

    @Test
    void emptyBatchIsAnEmptyMessage() throws Exception {
        SendBatch b = new SendBatch();
        assertEquals(0, Decoded.v1(V1.encodeCompressed(b)).series().size());
        Decoded d = v2(b);
        assertEquals(List.of(""), d.symbols());
        assertEquals(0, d.series().size());
    }

    @Test
    void nestedLengthsAtTheirBoundaries() throws Exception {
        // time series messages of every size around the 1-, 2- and 3-byte length prefixes
        SendBatch b = new SendBatch();
        for (int len : new int[] {0, 1, 100, 105, 110, 115, 120, 125, 130, 16_360, 16_370, 16_380, 16_390, 20_000}) {
            b.clear();
            b.add(1, Labels.of("__name__", "m", "v", "y".repeat(len)), null, 1, 1);
            b.add(2, Labels.of("__name__", "n"), null, 1, 1);
            for (Decoded d : List.of(v1(b), v2(b))) {
                assertEquals(len == 0 ? null : "y".repeat(len), d.labelMap(0).get("v"));
                assertEquals("n", d.labelMap(1).get("__name__"));
            }
        }
    }

    @Test
    void labelsSharedWithThePreviousSeriesAreCopiedRight() throws Exception {
        // small series (1-byte length: their bodies move back one byte), a large one (3-byte length: moves forward),
        // shared and unshared labels at each position, a shorter label set in between
        SendBatch b = new SendBatch();
        List<Map<String, String>> want = new ArrayList<>();
        String big = "z".repeat(20_000);
        for (int s = 0; s < 40; s++) {
            Labels ls;
            if (s == 17) ls = Labels.of("__name__", "up", "big", big, "job", "j");
            else if (s == 25) ls = Labels.of("__name__", "up");
            else ls = Labels.of("__name__", "up", "job", "j", "i", Integer.toString(s / 3), "k", new String(new char[] {'v'}));
            b.add(s, ls, null, 1000 + s, s);
            want.add(ls.toMap());
        }
        for (Decoded d : List.of(v1(b), v2(b))) {
            for (int s = 0; s < 40; s++) assertEquals(want.get(s), d.labelMap(s), "series " + s);
        }
    }
}
