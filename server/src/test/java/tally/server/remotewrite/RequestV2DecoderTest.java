package tally.server.remotewrite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import tally.model.StaleNaN;

class RequestV2DecoderTest {
    record Got(List<String> kv, long[] ts, long[] valueBits, int histograms, int exemplars, int type, String help, String unit, String problem) {}

    private static List<Got> decode(byte[] msg) throws ProtoException {
        List<Got> out = new ArrayList<>();
        new RequestV2Decoder().decode(msg, msg.length, (kv, labels, ts, vs, samples, histograms, exemplars, type, help, unit, problem) -> {
            long[] bits = new long[samples];
            for (int i = 0; i < samples; i++) bits[i] = Double.doubleToRawLongBits(vs[i]);
            out.add(new Got(List.of(Arrays.copyOf(kv, 2 * labels)), Arrays.copyOf(ts, samples), bits, histograms, exemplars, type, help, unit,
                    problem));
        });
        return out;
    }

    @Test
    void labelsSamplesAndMetadataResolveThroughTheSymbols() throws Exception {
        RequestV2Builder b = new RequestV2Builder();
        b.series("__name__", "http_requests_total", "code", "200", "job", "api").sample(1000, 1).sample(2000, StaleNaN.VALUE)
                .metadata(1, "Requests served.", "").done();
        b.series("__name__", "temp_celsius", "room", "k\u00fcche \ud83c\udf73").sample(-5, -0.0).metadata(2, "", "celsius").done();
        b.series("__name__", "bare").sample(0, 0).done();
        List<Got> got = decode(b.bytes());
        assertEquals(3, got.size());
        Got a = got.get(0);
        assertEquals(List.of("__name__", "http_requests_total", "code", "200", "job", "api"), a.kv());
        assertArrayEquals(new long[] {1000, 2000}, a.ts());
        assertArrayEquals(new long[] {Double.doubleToRawLongBits(1), StaleNaN.BITS}, a.valueBits());
        assertEquals(1, a.type());
        assertEquals("Requests served.", a.help());
        assertEquals("", a.unit());
        assertNull(a.problem());
        assertEquals(List.of("__name__", "temp_celsius", "room", "k\u00fcche \ud83c\udf73"), got.get(1).kv());
        assertArrayEquals(new long[] {Double.doubleToRawLongBits(-0.0)}, got.get(1).valueBits());
        assertArrayEquals(new long[] {-5}, got.get(1).ts());
        assertEquals(2, got.get(1).type());
        assertEquals("celsius", got.get(1).unit());
        assertEquals(0, got.get(2).type());
        assertEquals("", got.get(2).help());
    }

    @Test
    void symbolsMayFollowTheSeriesAndRefsMayBeUnpacked() throws Exception {
        RequestV2Builder b = new RequestV2Builder().symbolsLast();
        int name = b.ref("__name__"), up = b.ref("up"), job = b.ref("job"), x = b.ref("x");
        b.seriesRefs(false, name, up, job, x).sample(5, 1).done();
        b.seriesRefs(true, name, up).sample(5, 2).done();
        List<Got> got = decode(b.bytes());
        assertEquals(List.of("__name__", "up", "job", "x"), got.get(0).kv());
        assertEquals(List.of("__name__", "up"), got.get(1).kv());
    }

    @Test
    void histogramsAndExemplarsAreCounted() throws Exception {
        RequestV2Builder b = new RequestV2Builder();
        b.series("__name__", "h").sample(1, 1).histogram(1).histogram(2).exemplar("abc", 1, 1).done();
        Got g = decode(b.bytes()).get(0);
        assertEquals(2, g.histograms());
        assertEquals(1, g.exemplars());
        assertEquals(1, g.ts().length);
    }

    @Test
    void badRefsAreTheSeriesProblemNotTheRequests() throws Exception {
        RequestV2Builder b = new RequestV2Builder();
        int name = b.ref("__name__"), m = b.ref("m");
        b.seriesRefs(true, name, m, 99, m).sample(1, 1).done();
        b.seriesRefs(true, name, m, name).sample(1, 1).done();
        b.seriesRefs(true, name, m).metadataRefs(1, 42, 0).sample(1, 1).done();
        b.seriesRefs(true, name, m).metadataRefs(1, 0, 43).sample(1, 1).done();
        b.series("__name__", "fine").sample(1, 1).done();
        List<Got> got = decode(b.bytes());
        assertEquals(5, got.size());
        assertTrue(got.get(0).problem().contains("label ref 99 (name) outside of the symbols table (size 4)"), got.get(0).problem());
        assertTrue(got.get(1).problem().contains("odd number of label refs (3)"), got.get(1).problem());
        assertTrue(got.get(2).problem().contains("help_ref 42"), got.get(2).problem());
        assertTrue(got.get(3).problem().contains("unit_ref 43"), got.get(3).problem());
        assertNull(got.get(4).problem());
        assertEquals(List.of("__name__", "fine"), got.get(4).kv());
    }

    @Test
    void malformedMessagesThrow() throws Exception {
        byte[] good = new RequestV2Builder().series("__name__", "x", "a", "b").sample(1, 1).metadata(2, "help", "").done().bytes();
        for (int cut = 1; cut < good.length; cut++) {
            byte[] t = Arrays.copyOf(good, cut);
            try {
                decode(t);
                // some prefixes are whole messages (a cut between fields): fine, as long as nothing is read past the end
            } catch (ProtoException expected) {
                // fine
            }
        }
        assertThrows(ProtoException.class, () -> decode(Arrays.copyOf(good, good.length - 1)));
        assertThrows(ProtoException.class, () -> decode(new byte[] {0x2a, 0x7f, 0x01})); // timeseries of 127 bytes, 1 there
        assertThrows(ProtoException.class, () -> decode(new byte[] {0x00})); // field 0
        assertThrows(ProtoException.class, () -> decode(new byte[] {0x23, 0x01})); // wire type 3 (groups)
        assertEquals(0, decode(new byte[0]).size());
        // the 1.0 message's fields (reserved in 2.0) are skipped: an empty request
        byte[] v1 = new WriteRequestBuilder().series("__name__", "x").sample(1, 1).done().metadata(1, "x", "h", "").bytes();
        assertEquals(0, decode(v1).size());
    }
}
