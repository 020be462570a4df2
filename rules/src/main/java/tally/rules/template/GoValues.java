package tally.rules.template;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Go values as the template engine holds them. Common types use plain Java objects ({@code String} is Go
 * string, {@code Double} float64, {@code Long} int, {@code Boolean} bool); the rest are the records below.
 * Java {@code null} is Go's invalid reflect.Value: a nil interface, a missing key, no data.
 */
final class GoValues {
    private GoValues() {}

    /** An integer of a type other than int (int64, uint64, time.Month, ...); unsigned types keep the bit pattern. */
    record GoInt(long bits, GoType type) {
        boolean unsigned() { return type.kind == GoType.Kind.UINT; }
    }

    /** A named string type such as html/template.HTML. */
    record GoNamedString(String value, GoType type) {}

    record GoComplex(double re, double im) {}

    /** A map with string keys, iterated in key order as Go's fmt and range do. */
    record GoMap(GoType type, SortedMap<String, Object> entries) {}

    record GoSlice(GoType type, List<Object> items) {}

    /** A struct value; values line up with the type's fields. */
    record GoStruct(GoType type, Object[] values) {
        Object field(int i) { return values[i]; }
    }

    /** A pointer. Identity is the address: two pointers are equal only when they are the same object. */
    static final class GoPtr {
        final GoType type;
        final Object elem;

        GoPtr(GoType type, Object elem) {
            this.type = type;
            this.elem = elem;
        }
    }

    /**
     * A value held in an interface-typed slot (a struct field or map element of type interface {}, or a
     * range element of such a map): Go keeps the static type there, which shows in error texts
     * ("can't evaluate field x in type interface {}") and makes a nil element a value rather than nothing.
     * Pipelines unwrap it, as Go's evaluation does after each command.
     */
    record GoIface(Object value) {}

    static Object unwrap(Object v) {
        return v instanceof GoIface i ? i.value() : v;
    }

    /** A time.Time in UTC: seconds since the epoch and nanoseconds within the second. */
    record GoTime(long sec, int nsec) {}

    /** A time.Duration: nanoseconds. */
    record GoDuration(long nanos) {}

    // ---- constructors for the data Prometheus hands to templates ----

    static GoMap stringMap(Map<String, String> m) {
        TreeMap<String, Object> t = newKeyMap();
        if (m != null) t.putAll(m);
        return new GoMap(GoType.MAP_STRING_STRING, Collections.unmodifiableSortedMap(t));
    }

    static GoPtr sample(Map<String, String> labels, double value) {
        return new GoPtr(GoType.SAMPLE_PTR, new GoStruct(GoType.SAMPLE, new Object[] {stringMap(labels), value}));
    }

    static GoSlice queryResult(List<QuerySample> samples) {
        List<Object> items = new ArrayList<>(samples.size());
        for (QuerySample s : samples) items.add(sample(s.labels(), s.value()));
        return new GoSlice(GoType.QUERY_RESULT, items);
    }

    static GoStruct alertData(AlertTemplateData d) {
        return new GoStruct(GoType.ALERT_DATA, new Object[] {
            stringMap(d.labels()), stringMap(d.externalLabels()), d.externalURL() == null ? "" : d.externalURL(), d.value()});
    }

    // ---- type and kind ----

    static GoType typeOf(Object v) {
        if (v instanceof String) return GoType.STRING;
        if (v instanceof Double) return GoType.FLOAT64;
        if (v instanceof Long) return GoType.INT;
        if (v instanceof Boolean) return GoType.BOOL;
        if (v instanceof GoInt i) return i.type();
        if (v instanceof GoNamedString s) return s.type();
        if (v instanceof GoComplex) return GoType.COMPLEX128;
        if (v instanceof GoMap m) return m.type();
        if (v instanceof GoSlice s) return s.type();
        if (v instanceof GoStruct s) return s.type();
        if (v instanceof GoPtr p) return p.type;
        if (v instanceof GoTime) return GoType.TIME;
        if (v instanceof GoDuration) return GoType.DURATION;
        if (v instanceof GoIface) return GoType.ANY;
        throw new IllegalStateException("not a Go value: " + v);
    }

    /** The kind, or null for the invalid value. */
    static GoType.Kind kind(Object v) {
        return v == null ? null : typeOf(v).kind;
    }

    /** Follows pointers and interfaces; Go's indirect. Our pointers are never nil. */
    static Object indirect(Object v) {
        v = unwrap(v);
        while (v instanceof GoPtr p) v = p.elem;
        return v;
    }

    /** The signed value of an integer kind. */
    static long intBits(Object v) {
        if (v instanceof Long l) return l;
        if (v instanceof GoInt i) return i.bits();
        if (v instanceof GoDuration d) return d.nanos();
        throw new IllegalStateException("not an integer: " + v);
    }

    static String stringValue(Object v) {
        if (v instanceof String s) return s;
        if (v instanceof GoNamedString s) return s.value();
        throw new IllegalStateException("not a string: " + v);
    }

    /** Go's isTrue: the zero value of its type is false. Structs are always true. */
    static boolean isTrue(Object v) {
        v = unwrap(v);
        if (v == null) return false;
        return switch (kind(v)) {
            case BOOL -> (Boolean) v;
            case INT, UINT -> intBits(v) != 0;
            case FLOAT -> (Double) v != 0;
            case COMPLEX -> ((GoComplex) v).re() != 0 || ((GoComplex) v).im() != 0;
            case STRING -> !stringValue(v).isEmpty();
            case MAP -> !((GoMap) v).entries().isEmpty();
            case SLICE -> !((GoSlice) v).items().isEmpty();
            case POINTER -> true;
            default -> true;
        };
    }

    /** The zero value of a type, as reflect.Zero gives it (nil kinds become the invalid value). */
    static Object zero(GoType t) {
        return switch (t.kind) {
            case BOOL -> false;
            case INT, UINT -> t.equals(GoType.INT) ? (Object) 0L : t.equals(GoType.DURATION) ? new GoDuration(0) : new GoInt(0, t);
            case FLOAT -> 0.0;
            case COMPLEX -> new GoComplex(0, 0);
            case STRING -> t.equals(GoType.STRING) ? "" : new GoNamedString("", t);
            case STRUCT -> t.equals(GoType.TIME) ? new GoTime(-62135596800L, 0) : zeroStruct(t);
            default -> null;
        };
    }

    private static GoStruct zeroStruct(GoType t) {
        Object[] vals = new Object[t.fields.size()];
        for (int i = 0; i < vals.length; i++) vals[i] = zero(t.fields.get(i).type());
        return new GoStruct(t, vals);
    }

    /** Go's fmtsort order for map keys; ours are strings, so plain byte order (UTF-8 order equals code point order). */
    static int compareKeys(String a, String b) {
        int i = 0, j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i), cb = b.codePointAt(j);
            if (ca != cb) return Integer.compare(ca, cb);
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** A sorted map in Go's key order. */
    static TreeMap<String, Object> newKeyMap() {
        return new TreeMap<>(GoValues::compareKeys);
    }
}
