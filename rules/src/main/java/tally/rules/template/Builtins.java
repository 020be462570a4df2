package tally.rules.template;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tally.rules.template.Func.CallError;
import tally.rules.template.GoType.Kind;
import tally.rules.template.GoValues.GoComplex;
import tally.rules.template.GoValues.GoInt;
import tally.rules.template.GoValues.GoMap;
import tally.rules.template.GoValues.GoPtr;
import tally.rules.template.GoValues.GoSlice;
import tally.rules.template.GoValues.GoStruct;

/** Go text/template's predefined functions, with their Go signatures and error texts. */
final class Builtins {
    private Builtins() {}

    static final Map<String, Func> FUNCS;

    static {
        Map<String, Func> m = new LinkedHashMap<>();
        GoType rv = GoType.REFLECT_VALUE;
        // and/or are evaluated by the executor (they short-circuit); the bodies are never called.
        m.put("and", Func.variadic(a -> a[a.length - 1], rv, rv));
        m.put("or", Func.variadic(a -> a[a.length - 1], rv, rv));
        m.put("not", Func.of(a -> !GoValues.isTrue(a[0]), rv));
        m.put("len", Func.of(a -> length(a[0]), rv));
        m.put("index", Func.variadic(a -> index(a[0], Arrays.copyOfRange(a, 1, a.length)), rv, rv));
        m.put("slice", Func.variadic(a -> slice(a[0], Arrays.copyOfRange(a, 1, a.length)), rv, rv));
        m.put("call", Func.variadic(a -> call(a[0]), rv, rv));
        m.put("html", Func.variadic(a -> htmlEscape(evalArgs(a)), GoType.ANY));
        m.put("js", Func.variadic(a -> jsEscape(evalArgs(a)), GoType.ANY));
        m.put("urlquery", Func.variadic(a -> GoNet.queryEscape(evalArgs(a)), GoType.ANY));
        m.put("print", Func.variadic(a -> GoFmt.sprint(Arrays.asList(a)), GoType.ANY));
        m.put("printf", Func.variadic(a -> GoFmt.sprintf((String) a[0], Arrays.asList(a).subList(1, a.length)), GoType.STRING, GoType.ANY));
        m.put("println", Func.variadic(a -> GoFmt.sprintln(Arrays.asList(a)), GoType.ANY));
        m.put("eq", Func.variadic(a -> eq(a[0], Arrays.copyOfRange(a, 1, a.length)), rv, rv));
        m.put("ne", Func.of(a -> !eq(a[0], new Object[] {a[1]}), rv, rv));
        m.put("lt", Func.of(a -> lt(a[0], a[1]), rv, rv));
        m.put("le", Func.of(a -> le(a[0], a[1]), rv, rv));
        m.put("gt", Func.of(a -> !le(a[0], a[1]), rv, rv));
        m.put("ge", Func.of(a -> !lt(a[0], a[1]), rv, rv));
        FUNCS = Map.copyOf(m);
    }

    /** Whether f is the builtin of that name (and/or get their short-circuit treatment only then). */
    static boolean isBuiltin(String name, Func f) {
        return FUNCS.get(name) == f;
    }

    // ---- len, index, slice, call ----

    /** Go panics calling Type on the invalid value; text/template reports the recovered panic. */
    private static CallError zeroValueType() {
        return new CallError("reflect: call of reflect.Value.Type on zero Value");
    }

    private static Object length(Object item) throws CallError {
        if (item instanceof GoValues.GoIface i && i.value() == null) throw new CallError("len of nil pointer");
        item = GoValues.indirect(item);
        if (item == null) throw zeroValueType();
        return switch (GoValues.kind(item)) {
            case MAP -> (long) ((GoMap) item).entries().size();
            case SLICE -> (long) ((GoSlice) item).items().size();
            case STRING -> (long) GoValues.stringValue(item).getBytes(StandardCharsets.UTF_8).length;
            default -> throw new CallError("len of type " + GoValues.typeOf(item).name);
        };
    }

    private static int indexArg(Object index, int cap) throws CallError {
        long x;
        Kind k = GoValues.kind(index);
        if (k == Kind.INT || k == Kind.UINT) {
            x = GoValues.intBits(index);
            if (k == Kind.UINT && x < 0) throw new CallError("index out of range: " + x);
        } else if (index == null) {
            throw new CallError("cannot index slice/array with nil");
        } else {
            throw new CallError("cannot index slice/array with type " + GoValues.typeOf(index).name);
        }
        if (x < 0 || x > cap) throw new CallError("index out of range: " + x);
        return (int) x;
    }

    private static Object index(Object item, Object[] indexes) throws CallError {
        item = GoValues.unwrap(item);
        if (item == null) throw new CallError("index of untyped nil");
        for (Object index0 : indexes) {
            Object index = GoValues.unwrap(index0);
            item = GoValues.indirect(item);
            if (item == null) throw new CallError("index of nil pointer");
            Kind k = GoValues.kind(item);
            if (k == Kind.SLICE) {
                List<Object> items = ((GoSlice) item).items();
                int x = indexArg(index, items.size());
                if (x == items.size()) throw new CallError("reflect: slice index out of range");
                item = items.get(x);
            } else if (k == Kind.STRING) {
                byte[] b = GoValues.stringValue(item).getBytes(StandardCharsets.UTF_8);
                int x = indexArg(index, b.length);
                if (x == b.length) throw new CallError("reflect: string index out of range");
                item = new GoInt(b[x] & 0xff, GoType.UINT8);
            } else if (k == Kind.MAP) {
                GoMap m = (GoMap) item;
                String key = mapKey(index);
                item = m.entries().containsKey(key) ? m.entries().get(key) : GoValues.zero(m.type().elem);
            } else {
                throw new CallError("can't index item of type " + GoValues.typeOf(item).name);
            }
        }
        return item;
    }

    /** Go's prepareArg for a string-keyed map. */
    private static String mapKey(Object index) throws CallError {
        if (index == null) throw new CallError("value is nil; should be of type string");
        if (index instanceof String s) return s;
        throw new CallError("value has type " + GoValues.typeOf(index).name + "; should be string");
    }

    /** Go unwraps the sliced value but not the indexes: an index typed interface {} is refused. */
    private static Object slice(Object item, Object[] indexes) throws CallError {
        item = GoValues.unwrap(item);
        if (item == null) throw new CallError("slice of untyped nil");
        if (indexes.length > 3) throw new CallError("too many slice indexes: " + indexes.length);
        Kind k = GoValues.kind(item);
        int len;
        byte[] bytes = null;
        if (k == Kind.STRING) {
            if (indexes.length == 3) throw new CallError("cannot 3-index slice a string");
            bytes = GoValues.stringValue(item).getBytes(StandardCharsets.UTF_8);
            len = bytes.length;
        } else if (k == Kind.SLICE) {
            len = ((GoSlice) item).items().size();
        } else {
            throw new CallError("can't slice item of type " + GoValues.typeOf(item).name);
        }
        int[] idx = {0, len, 0};
        for (int i = 0; i < indexes.length; i++) idx[i] = indexArg(indexes[i], len);
        if (idx[0] > idx[1]) throw new CallError("invalid slice index: " + idx[0] + " > " + idx[1]);
        if (indexes.length == 3 && idx[1] > idx[2]) throw new CallError("invalid slice index: " + idx[1] + " > " + idx[2]);
        if (bytes != null) {
            String s = new String(Arrays.copyOfRange(bytes, idx[0], idx[1]), StandardCharsets.UTF_8);
            return item instanceof String ? s : new GoValues.GoNamedString(s, GoValues.typeOf(item));
        }
        GoSlice sl = (GoSlice) item;
        return new GoSlice(sl.type(), new ArrayList<>(sl.items().subList(idx[0], idx[1])));
    }

    /** Templates cannot hold function values here, so call always fails, with Go's texts. */
    private static Object call(Object fn) throws CallError {
        fn = GoValues.unwrap(fn);
        if (fn == null) throw new CallError("call of nil");
        throw new CallError("non-function of type " + GoValues.typeOf(fn).name);
    }

    // ---- escaping ----

    /** The textual form of html/js/urlquery arguments: fmt.Sprint with pointers followed. */
    static String evalArgs(Object[] args) {
        if (args.length == 1 && args[0] instanceof String s) return s;
        List<Object> printable = new ArrayList<>(args.length);
        for (Object a : args) {
            Object v = a instanceof GoPtr ? GoValues.indirect(a) : a;
            printable.add(v == null ? "<no value>" : v);
        }
        return GoFmt.sprint(printable);
    }

    static String htmlEscape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case 0 -> sb.append('\uFFFD');
                case '"' -> sb.append("&#34;");
                case '\'' -> sb.append("&#39;");
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    static String jsEscape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\'' -> sb.append("\\'");
                case '"' -> sb.append("\\\"");
                case '<' -> sb.append("\\u003C");
                case '>' -> sb.append("\\u003E");
                case '&' -> sb.append("\\u0026");
                case '=' -> sb.append("\\u003D");
                default -> {
                    if (c < ' ') {
                        sb.append(String.format("\\u%04X", c));
                    } else if (c < 0x80 || GoStrconv.isPrint(c)) {
                        sb.appendCodePoint(c);
                    } else {
                        sb.append(String.format("\\u%04X", c));
                    }
                }
            }
        }
        return sb.toString();
    }

    // ---- comparison ----

    private enum BasicKind { INVALID, BOOL, COMPLEX, INT, FLOAT, STRING, UINT }

    private static BasicKind basicKind(Object v) {
        if (v == null) return BasicKind.INVALID;
        return switch (GoValues.kind(v)) {
            case BOOL -> BasicKind.BOOL;
            case INT -> BasicKind.INT;
            case UINT -> BasicKind.UINT;
            case FLOAT -> BasicKind.FLOAT;
            case COMPLEX -> BasicKind.COMPLEX;
            case STRING -> BasicKind.STRING;
            default -> BasicKind.INVALID;
        };
    }

    private static final String BAD_TYPE = "invalid type for comparison";
    private static final String BAD_COMPARISON = "incompatible types for comparison";

    private static boolean comparable(GoType t) {
        return switch (t.kind) {
            case MAP, SLICE -> false;
            case STRUCT -> t.fields.stream().allMatch(f -> comparable(f.type()));
            default -> true;
        };
    }

    static boolean eq(Object a1, Object[] rest) throws CallError {
        a1 = GoValues.unwrap(a1);
        if (rest.length == 0) throw new CallError("missing argument for comparison");
        BasicKind k1 = basicKind(a1);
        for (Object a0 : rest) {
            Object a = GoValues.unwrap(a0);
            BasicKind k2 = basicKind(a);
            boolean truth;
            if (k1 != k2) {
                // Integers compare across signedness.
                if (k1 == BasicKind.INT && k2 == BasicKind.UINT) {
                    truth = GoValues.intBits(a1) >= 0 && GoValues.intBits(a1) == GoValues.intBits(a);
                } else if (k1 == BasicKind.UINT && k2 == BasicKind.INT) {
                    truth = GoValues.intBits(a) >= 0 && GoValues.intBits(a1) == GoValues.intBits(a);
                } else {
                    if (a1 != null && a != null) throw new CallError(BAD_COMPARISON);
                    truth = false;
                }
            } else {
                truth = switch (k1) {
                    case BOOL -> a1.equals(a);
                    case COMPLEX -> ((GoComplex) a1).re() == ((GoComplex) a).re() && ((GoComplex) a1).im() == ((GoComplex) a).im();
                    case FLOAT -> (double) (Double) a1 == (Double) a;
                    case INT, UINT -> GoValues.intBits(a1) == GoValues.intBits(a);
                    case STRING -> GoValues.stringValue(a1).equals(GoValues.stringValue(a));
                    default -> eqOther(a1, a);
                };
            }
            if (truth) return true;
        }
        return false;
    }

    /** == on values that are not basic: maps, slices, structs, pointers, or the invalid value. */
    private static boolean eqOther(Object a1, Object a) throws CallError {
        Kind x = GoValues.kind(a1), y = GoValues.kind(a);
        if (x != y && a1 != null && a != null) {
            throw new CallError(GoFmt.sprintf("non-comparable types %s: %v, %s: %v",
                    List.of(a1, GoValues.typeOf(a1).name, GoValues.typeOf(a).name, a)));
        }
        if (a1 == null || a == null) return a1 == null && a == null;
        GoType t = GoValues.typeOf(a);
        if (!comparable(t)) throw new CallError(GoFmt.sprintf("non-comparable type %s: %v", List.of(a, t.name)));
        if (a1 instanceof GoPtr || a instanceof GoPtr) return a1 == a;
        if (!GoValues.typeOf(a1).equals(t)) return false;
        if (a1 instanceof GoStruct s1 && a instanceof GoStruct s2) return Arrays.equals(s1.values(), s2.values());
        return a1.equals(a);
    }

    static boolean lt(Object a1, Object a2) throws CallError {
        a1 = GoValues.unwrap(a1);
        a2 = GoValues.unwrap(a2);
        BasicKind k1 = basicKind(a1);
        if (k1 == BasicKind.INVALID) throw new CallError(BAD_TYPE);
        BasicKind k2 = basicKind(a2);
        if (k2 == BasicKind.INVALID) throw new CallError(BAD_TYPE);
        if (k1 != k2) {
            if (k1 == BasicKind.INT && k2 == BasicKind.UINT) {
                return GoValues.intBits(a1) < 0 || Long.compareUnsigned(GoValues.intBits(a1), GoValues.intBits(a2)) < 0;
            }
            if (k1 == BasicKind.UINT && k2 == BasicKind.INT) {
                return GoValues.intBits(a2) >= 0 && Long.compareUnsigned(GoValues.intBits(a1), GoValues.intBits(a2)) < 0;
            }
            throw new CallError(BAD_COMPARISON);
        }
        return switch (k1) {
            case BOOL, COMPLEX -> throw new CallError(BAD_TYPE);
            case FLOAT -> (Double) a1 < (Double) a2;
            case INT -> GoValues.intBits(a1) < GoValues.intBits(a2);
            case UINT -> Long.compareUnsigned(GoValues.intBits(a1), GoValues.intBits(a2)) < 0;
            case STRING -> GoValues.compareKeys(GoValues.stringValue(a1), GoValues.stringValue(a2)) < 0;
            default -> throw new CallError(BAD_TYPE);
        };
    }

    static boolean le(Object a1, Object a2) throws CallError {
        if (lt(a1, a2)) return true;
        return eq(a1, new Object[] {a2});
    }
}
