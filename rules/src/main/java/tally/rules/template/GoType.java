package tally.rules.template;

import java.util.List;

/**
 * A Go type as far as templates can tell types apart: its printed name (errors and {@code %T} show it),
 * its kind (truth, comparison, printing and indexing go by kind) and, for composite types, the element
 * type and struct fields. Two types are the same when their names are.
 */
final class GoType {
    enum Kind { BOOL, INT, UINT, FLOAT, COMPLEX, STRING, MAP, SLICE, STRUCT, POINTER, INTERFACE, REFLECT_VALUE }

    /** A struct field: name and declared type. */
    record Field(String name, GoType type) {}

    final String name;
    final Kind kind;
    /** Element type of a pointer, slice or map (map keys are always string here). */
    final GoType elem;
    final List<Field> fields;

    private GoType(String name, Kind kind, GoType elem, List<Field> fields) {
        this.name = name;
        this.kind = kind;
        this.elem = elem;
        this.fields = fields;
    }

    static GoType basic(String name, Kind kind) {
        return new GoType(name, kind, null, List.of());
    }

    static GoType pointerTo(GoType elem) {
        return new GoType("*" + elem.name, Kind.POINTER, elem, List.of());
    }

    static GoType sliceOf(String name, GoType elem) {
        return new GoType(name == null ? "[]" + elem.name : name, Kind.SLICE, elem, List.of());
    }

    static GoType mapOf(GoType elem) {
        return new GoType("map[string]" + elem.name, Kind.MAP, elem, List.of());
    }

    /** A struct; a null name prints the literal struct type as Go does for anonymous structs. */
    static GoType struct(String name, List<Field> fields) {
        if (name == null) {
            StringBuilder sb = new StringBuilder("struct {");
            for (int i = 0; i < fields.size(); i++) {
                sb.append(i == 0 ? " " : "; ").append(fields.get(i).name()).append(' ').append(fields.get(i).type().name);
            }
            name = sb.append(fields.isEmpty() ? "}" : " }").toString();
        }
        return new GoType(name, Kind.STRUCT, null, List.copyOf(fields));
    }

    int fieldIndex(String field) {
        for (int i = 0; i < fields.size(); i++) if (fields.get(i).name().equals(field)) return i;
        return -1;
    }

    /** Whether an untyped nil can stand for a value of this type (Go's canBeNil for parameters). */
    boolean canBeNil() {
        return switch (kind) {
            case MAP, SLICE, POINTER, INTERFACE, REFLECT_VALUE -> true;
            default -> false;
        };
    }

    boolean isInteger() {
        return kind == Kind.INT || kind == Kind.UINT;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GoType t && t.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }

    // The types templates meet.
    static final GoType BOOL = basic("bool", Kind.BOOL);
    static final GoType INT = basic("int", Kind.INT);
    static final GoType INT8 = basic("int8", Kind.INT);
    static final GoType INT16 = basic("int16", Kind.INT);
    static final GoType INT32 = basic("int32", Kind.INT);
    static final GoType INT64 = basic("int64", Kind.INT);
    static final GoType UINT = basic("uint", Kind.UINT);
    static final GoType UINT8 = basic("uint8", Kind.UINT);
    static final GoType UINT16 = basic("uint16", Kind.UINT);
    static final GoType UINT32 = basic("uint32", Kind.UINT);
    static final GoType UINT64 = basic("uint64", Kind.UINT);
    static final GoType FLOAT64 = basic("float64", Kind.FLOAT);
    static final GoType COMPLEX128 = basic("complex128", Kind.COMPLEX);
    static final GoType STRING = basic("string", Kind.STRING);
    static final GoType ANY = basic("interface {}", Kind.INTERFACE);
    static final GoType REFLECT_VALUE = basic("reflect.Value", Kind.REFLECT_VALUE);

    static final GoType HTML = basic("template.HTML", Kind.STRING);
    static final GoType DURATION = basic("time.Duration", Kind.INT);
    static final GoType MONTH = basic("time.Month", Kind.INT);
    static final GoType WEEKDAY = basic("time.Weekday", Kind.INT);
    static final GoType TIME = struct("time.Time", List.of());
    static final GoType TIME_PTR = pointerTo(TIME);
    static final GoType DURATION_PTR = pointerTo(DURATION);

    static final GoType MAP_STRING_STRING = mapOf(STRING);
    static final GoType MAP_STRING_ANY = mapOf(ANY);

    static final GoType SAMPLE = struct("template.sample", List.of(new Field("Labels", MAP_STRING_STRING), new Field("Value", ANY)));
    static final GoType SAMPLE_PTR = pointerTo(SAMPLE);
    static final GoType QUERY_RESULT = sliceOf("template.queryResult", SAMPLE_PTR);

    /** The anonymous struct Prometheus's AlertTemplateData returns. */
    static final GoType ALERT_DATA = struct(null, List.of(
            new Field("Labels", MAP_STRING_STRING),
            new Field("ExternalLabels", MAP_STRING_STRING),
            new Field("ExternalURL", STRING),
            new Field("Value", ANY)));
}
