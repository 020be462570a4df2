package tally.server.testing;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compares two Prometheus API JSON answers structurally: same keys and JSON types everywhere, same
 * label sets exactly, sample values equal within a relative tolerance (NaN equals NaN). Series order
 * is ignored (it is unspecified for most queries); label and series lists compare as sets.
 */
public final class ResultDiff {
    public static final double RELATIVE_TOLERANCE = 1e-9;

    private ResultDiff() {}

    /** Differences between a reference answer and Tally's (empty when they agree). */
    public static List<String> diff(JsonElement reference, JsonElement tally) {
        List<String> out = new ArrayList<>();
        compare("", reference, tally, out);
        return out;
    }

    private static void compare(String path, JsonElement a, JsonElement b, List<String> out) {
        if (a.isJsonObject() != b.isJsonObject() || a.isJsonArray() != b.isJsonArray() || a.isJsonPrimitive() != b.isJsonPrimitive()) {
            out.add(path + ": JSON types differ: " + abbrev(a) + " vs " + abbrev(b));
            return;
        }
        if (a.isJsonObject()) {
            JsonObject x = a.getAsJsonObject(), y = b.getAsJsonObject();
            if (!x.keySet().equals(y.keySet())) {
                out.add(path + ": keys " + x.keySet() + " vs " + y.keySet());
                return;
            }
            if (x.has("resultType") && x.has("result")) {
                compareResult(path, x.get("resultType").getAsString(), x.get("result"), y, out);
                return;
            }
            for (String k : x.keySet()) compare(path + "." + k, x.get(k), y.get(k), out);
        } else if (a.isJsonArray()) {
            // label names, label values, series: sets of strings or label maps
            Set<String> x = new java.util.TreeSet<>(), y = new java.util.TreeSet<>();
            a.getAsJsonArray().forEach(e -> x.add(e.toString()));
            b.getAsJsonArray().forEach(e -> y.add(e.toString()));
            if (!x.equals(y) || a.getAsJsonArray().size() != b.getAsJsonArray().size()) {
                out.add(path + ": " + abbrev(a) + " vs " + abbrev(b));
            }
        } else if (!a.equals(b)) {
            out.add(path + ": " + a + " vs " + b);
        }
    }

    private static void compareResult(String path, String type, JsonElement a, JsonObject yData, List<String> out) {
        if (!type.equals(yData.get("resultType").getAsString())) {
            out.add(path + ": resultType " + type + " vs " + yData.get("resultType"));
            return;
        }
        JsonElement b = yData.get("result");
        if (type.equals("scalar") || type.equals("string")) {
            comparePoint(path, a.getAsJsonArray(), b.getAsJsonArray(), out);
            return;
        }
        Map<String, JsonObject> x = bySeries(a.getAsJsonArray(), path, out), y = bySeries(b.getAsJsonArray(), path, out);
        if (!x.keySet().equals(y.keySet())) {
            out.add(path + ": series " + x.keySet() + " vs " + y.keySet());
            return;
        }
        for (Map.Entry<String, JsonObject> e : x.entrySet()) {
            JsonObject sa = e.getValue(), sb = y.get(e.getKey());
            String p = path + e.getKey();
            if (!sa.keySet().equals(sb.keySet())) {
                out.add(p + ": keys " + sa.keySet() + " vs " + sb.keySet());
            } else if (sa.has("value")) {
                comparePoint(p, sa.getAsJsonArray("value"), sb.getAsJsonArray("value"), out);
            } else {
                JsonArray va = sa.getAsJsonArray("values"), vb = sb.getAsJsonArray("values");
                if (va.size() != vb.size()) {
                    out.add(p + ": " + va.size() + " points vs " + vb.size() + ": " + abbrev(va) + " vs " + abbrev(vb));
                    continue;
                }
                for (int i = 0; i < va.size(); i++) comparePoint(p, va.get(i).getAsJsonArray(), vb.get(i).getAsJsonArray(), out);
            }
        }
    }

    private static Map<String, JsonObject> bySeries(JsonArray result, String path, List<String> out) {
        Map<String, JsonObject> m = new TreeMap<>();
        for (JsonElement e : result) {
            JsonObject s = e.getAsJsonObject();
            Map<String, String> labels = new TreeMap<>();
            s.getAsJsonObject("metric").entrySet().forEach(kv -> labels.put(kv.getKey(), kv.getValue().getAsString()));
            if (m.put(labels.toString(), s) != null) out.add(path + ": duplicate series " + labels);
        }
        return m;
    }

    private static void comparePoint(String path, JsonArray a, JsonArray b, List<String> out) {
        if (a.get(0).getAsDouble() != b.get(0).getAsDouble()) {
            out.add(path + ": timestamp " + a.get(0) + " vs " + b.get(0));
            return;
        }
        if (!a.get(1).isJsonPrimitive() || !a.get(1).getAsJsonPrimitive().isString() || !b.get(1).getAsJsonPrimitive().isString()) {
            out.add(path + ": values must be JSON strings: " + a + " vs " + b);
            return;
        }
        String sa = a.get(1).getAsString(), sb = b.get(1).getAsString();
        if (!close(parse(sa), parse(sb))) out.add(path + " @" + a.get(0) + ": " + sa + " vs " + sb);
    }

    private static double parse(String s) {
        return s.equals("+Inf") ? Double.POSITIVE_INFINITY : s.equals("-Inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(s);
    }

    public static boolean close(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) return Double.isNaN(a) && Double.isNaN(b);
        if (a == b) return true;
        return Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
    }

    private static String abbrev(JsonElement e) {
        String s = e.toString();
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
