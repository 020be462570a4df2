package tally.server.remotewrite;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xerial.snappy.Snappy;

/**
 * Builds io.prometheus.write.v2.Request bytes with protobuf-java's CodedOutputStream for tests (independent of the
 * decoder under test and of forward's encoder). Symbols are added as series use them ({@code symbols[0] = ""}); tests
 * that need broken refs give them raw.
 */
public final class RequestV2Builder {
    private final List<String> symbols = new ArrayList<>(List.of(""));
    private final Map<String, Integer> index = new HashMap<>(Map.of("", 0));
    private final List<byte[]> series = new ArrayList<>();
    private boolean symbolsLast;

    public int ref(String s) {
        return index.computeIfAbsent(s, k -> {
            symbols.add(k);
            return symbols.size() - 1;
        });
    }

    /** Writes the symbols after the series (legal protobuf: fields may come in any order). */
    public RequestV2Builder symbolsLast() {
        symbolsLast = true;
        return this;
    }

    public final class Series {
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final CodedOutputStream out = CodedOutputStream.newInstance(body);

        Series(int[] refs, boolean packed) throws IOException {
            if (packed) {
                ByteArrayOutputStream rb = new ByteArrayOutputStream();
                CodedOutputStream r = CodedOutputStream.newInstance(rb);
                for (int x : refs) r.writeUInt32NoTag(x);
                r.flush();
                if (refs.length > 0) out.writeByteArray(1, rb.toByteArray());
            } else {
                for (int x : refs) out.writeUInt32(1, x);
            }
        }

        public Series sample(long t, double v) throws IOException {
            ByteArrayOutputStream sb = new ByteArrayOutputStream();
            CodedOutputStream s = CodedOutputStream.newInstance(sb);
            s.writeDouble(1, v);
            s.writeInt64(2, t);
            s.flush();
            out.writeByteArray(2, sb.toByteArray());
            return this;
        }

        public Series histogram(long t) throws IOException {
            ByteArrayOutputStream hb = new ByteArrayOutputStream();
            CodedOutputStream h = CodedOutputStream.newInstance(hb);
            h.writeUInt64(1, 5); // count_int
            h.writeInt64(15, t); // timestamp
            h.flush();
            out.writeByteArray(3, hb.toByteArray());
            return this;
        }

        public Series exemplar(String traceId, double v, long t) throws IOException {
            ByteArrayOutputStream eb = new ByteArrayOutputStream();
            CodedOutputStream e = CodedOutputStream.newInstance(eb);
            ByteArrayOutputStream rb = new ByteArrayOutputStream();
            CodedOutputStream r = CodedOutputStream.newInstance(rb);
            r.writeUInt32NoTag(ref("trace_id"));
            r.writeUInt32NoTag(ref(traceId));
            r.flush();
            e.writeByteArray(1, rb.toByteArray());
            e.writeDouble(2, v);
            e.writeInt64(3, t);
            e.flush();
            out.writeByteArray(4, eb.toByteArray());
            return this;
        }

        /** type: the 2.0 MetricType number. */
        public Series metadata(int type, String help, String unit) throws IOException {
            return metadataRefs(type, ref(help), ref(unit));
        }

        public Series metadataRefs(int type, int helpRef, int unitRef) throws IOException {
            ByteArrayOutputStream mb = new ByteArrayOutputStream();
            CodedOutputStream m = CodedOutputStream.newInstance(mb);
            m.writeEnum(1, type);
            m.writeUInt32(3, helpRef);
            m.writeUInt32(4, unitRef);
            m.flush();
            out.writeByteArray(5, mb.toByteArray());
            return this;
        }

        public RequestV2Builder done() throws IOException {
            out.flush();
            series.add(body.toByteArray());
            return RequestV2Builder.this;
        }
    }

    /** A series with labels as alternating names and values, in the order given (tests send unsorted ones on purpose). */
    public Series series(String... labels) throws IOException {
        int[] refs = new int[labels.length];
        for (int i = 0; i < labels.length; i++) refs[i] = ref(labels[i]);
        return new Series(refs, true);
    }

    /** A series with raw label refs (which may point outside the symbols). */
    public Series seriesRefs(boolean packed, int... refs) throws IOException {
        return new Series(refs, packed);
    }

    public byte[] bytes() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(b);
        if (!symbolsLast) for (String s : symbols) out.writeString(4, s);
        for (byte[] s : series) out.writeByteArray(5, s);
        if (symbolsLast) for (String s : symbols) out.writeString(4, s);
        out.flush();
        return b.toByteArray();
    }

    public byte[] snappy() throws IOException {
        return Snappy.compress(bytes());
    }
}
