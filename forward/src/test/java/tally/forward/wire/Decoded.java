package tally.forward.wire;

import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xerial.snappy.Snappy;

/** A decoded request in plain Java terms, from either version (2.0's refs resolved through its symbols). */
record Decoded(List<String> symbols, List<Series> series, List<Meta> metadata) {
    /** labels as [name, value, name, value, ...] in the order sent; value bits raw. */
    record Series(List<String> labels, List<long[]> samples, Meta metadata) {
        long[] timestamps() {
            return samples.stream().mapToLong(s -> s[0]).toArray();
        }
    }

    /** type as the enum number; family only for 1.0's metadata requests. */
    record Meta(int type, String family, String help, String unit) {}

    static Decoded v1(byte[] compressed) throws Exception {
        DynamicMessage req = Schemas.parseV1(Snappy.uncompress(compressed));
        assertNoUnknown(req);
        List<Series> out = new ArrayList<>();
        for (Object o : list(req, "timeseries")) {
            DynamicMessage ts = (DynamicMessage) o;
            List<String> labels = new ArrayList<>();
            for (Object l : list(ts, "labels")) {
                labels.add((String) get((DynamicMessage) l, "name"));
                labels.add((String) get((DynamicMessage) l, "value"));
            }
            out.add(new Series(labels, samples(ts), null));
        }
        List<Meta> md = new ArrayList<>();
        for (Object o : list(req, "metadata")) {
            DynamicMessage m = (DynamicMessage) o;
            md.add(new Meta(((EnumValueDescriptor) get(m, "type")).getNumber(), (String) get(m, "metric_family_name"), (String) get(m, "help"),
                    (String) get(m, "unit")));
        }
        return new Decoded(List.of(), out, md);
    }

    static Decoded v2(byte[] compressed) throws Exception {
        DynamicMessage req = Schemas.parseV2(Snappy.uncompress(compressed));
        assertNoUnknown(req);
        List<String> symbols = new ArrayList<>();
        for (Object o : list(req, "symbols")) symbols.add((String) o);
        List<Series> out = new ArrayList<>();
        for (Object o : list(req, "timeseries")) {
            DynamicMessage ts = (DynamicMessage) o;
            List<String> labels = new ArrayList<>();
            for (Object r : list(ts, "labels_refs")) labels.add(symbols.get((Integer) r));
            Meta meta = null;
            FieldDescriptor mf = ts.getDescriptorForType().findFieldByName("metadata");
            if (ts.hasField(mf)) {
                DynamicMessage m = (DynamicMessage) ts.getField(mf);
                meta = new Meta(((EnumValueDescriptor) get(m, "type")).getNumber(), null, symbols.get((Integer) get(m, "help_ref")),
                        symbols.get((Integer) get(m, "unit_ref")));
            }
            out.add(new Series(labels, samples(ts), meta));
        }
        return new Decoded(symbols, out, List.of());
    }

    private static List<long[]> samples(DynamicMessage ts) {
        List<long[]> out = new ArrayList<>();
        for (Object s : list(ts, "samples")) {
            DynamicMessage m = (DynamicMessage) s;
            out.add(new long[] {(Long) get(m, "timestamp"), Double.doubleToRawLongBits((Double) get(m, "value"))});
        }
        return out;
    }

    /** label name -> value of series i. */
    Map<String, String> labelMap(int i) {
        Map<String, String> m = new LinkedHashMap<>();
        List<String> l = series.get(i).labels();
        for (int j = 0; j < l.size(); j += 2) m.put(l.get(j), l.get(j + 1));
        return m;
    }

    private static List<?> list(DynamicMessage m, String field) {
        return (List<?>) m.getField(m.getDescriptorForType().findFieldByName(field));
    }

    private static Object get(DynamicMessage m, String field) {
        return m.getField(m.getDescriptorForType().findFieldByName(field));
    }

    private static void assertNoUnknown(DynamicMessage m) {
        if (!m.getUnknownFields().asMap().isEmpty()) throw new AssertionError("unknown fields in " + m.getDescriptorForType().getName() + ": " + m.getUnknownFields());
        for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
            if (e.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) continue;
            if (e.getKey().isRepeated()) for (Object o : (List<?>) e.getValue()) assertNoUnknown((DynamicMessage) o);
            else assertNoUnknown((DynamicMessage) e.getValue());
        }
    }
}
