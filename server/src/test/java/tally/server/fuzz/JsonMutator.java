package tally.server.fuzz;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Mutates JSON seeds as trees half of the time (a value swapped for one of another type or an awkward one, an
 * array element repeated, a member dropped or renamed), so the result still parses and reaches the OTLP/JSON
 * mapping; the other half goes to the byte {@link Mutator}, which breaks the syntax.
 */
final class JsonMutator {
    private static final JsonElement[] AWKWARD = {JsonNull.INSTANCE, new JsonPrimitive(""), new JsonPrimitive("NaN"),
            new JsonPrimitive("Infinity"), new JsonPrimitive("-Infinity"), new JsonPrimitive(-1), new JsonPrimitive(0),
            new JsonPrimitive(new BigDecimal("1e400")), new JsonPrimitive(new BigDecimal("18446744073709551616")),
            new JsonPrimitive("18446744073709551615"), new JsonPrimitive("-9223372036854775808"), new JsonPrimitive(1.5),
            new JsonPrimitive(true), new JsonPrimitive("\u0000\ud800"), new JsonPrimitive("AGGREGATION_TEMPORALITY_DELTA"),
            new JsonPrimitive("not-hex"), new JsonObject(), new JsonArray()};

    private final List<JsonElement> seeds = new ArrayList<>();
    private final Mutator bytes;

    JsonMutator(List<byte[]> seeds, Mutator bytes) {
        for (byte[] s : seeds) this.seeds.add(JsonParser.parseString(new String(s, StandardCharsets.UTF_8)));
        this.bytes = bytes;
    }

    byte[] next(SplittableRandom r) {
        if (r.nextBoolean()) return bytes.next(r);
        JsonElement root = seeds.get(r.nextInt(seeds.size())).deepCopy();
        int rounds = 1 + r.nextInt(3);
        for (int i = 0; i < rounds; i++) {
            List<JsonElement> containers = new ArrayList<>();
            collect(root, containers);
            mutate(containers.get(r.nextInt(containers.size())), r);
        }
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void collect(JsonElement e, List<JsonElement> out) {
        if (e.isJsonObject()) {
            out.add(e);
            for (Map.Entry<String, JsonElement> m : e.getAsJsonObject().entrySet()) collect(m.getValue(), out);
        } else if (e.isJsonArray()) {
            out.add(e);
            for (JsonElement x : e.getAsJsonArray()) collect(x, out);
        }
    }

    private void mutate(JsonElement container, SplittableRandom r) {
        if (container.isJsonObject()) {
            JsonObject o = container.getAsJsonObject();
            List<String> keys = new ArrayList<>(o.keySet());
            String key = keys.isEmpty() ? "x" : keys.get(r.nextInt(keys.size()));
            switch (r.nextInt(4)) {
                case 0 -> o.add(key, AWKWARD[r.nextInt(AWKWARD.length)].deepCopy());
                case 1 -> o.remove(key);
                case 2 -> {
                    JsonElement v = o.remove(key);
                    if (v != null) o.add(key.toUpperCase() + (r.nextBoolean() ? "" : "_"), v); // another spelling
                }
                default -> o.add(key, o.has(key) ? wrap(o.get(key), r) : JsonNull.INSTANCE);
            }
        } else {
            JsonArray a = container.getAsJsonArray();
            if (a.isEmpty()) {
                a.add(AWKWARD[r.nextInt(AWKWARD.length)].deepCopy());
                return;
            }
            int i = r.nextInt(a.size());
            switch (r.nextInt(3)) {
                case 0 -> {
                    int times = 1 + r.nextInt(r.nextInt(8) == 0 ? 500 : 3); // many data points, attributes, records
                    for (int k = 0; k < times; k++) a.add(a.get(i).deepCopy());
                }
                case 1 -> a.remove(i);
                default -> a.set(i, AWKWARD[r.nextInt(AWKWARD.length)].deepCopy());
            }
        }
    }

    /** The value nested once more (an object in an array, an array in an object), or as a string. */
    private static JsonElement wrap(JsonElement v, SplittableRandom r) {
        if (r.nextBoolean()) {
            JsonArray a = new JsonArray();
            a.add(v);
            return a;
        }
        return new JsonPrimitive(v.toString());
    }
}
