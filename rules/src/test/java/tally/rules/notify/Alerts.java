package tally.rules.notify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Alerts for the tests. */
final class Alerts {
    static final Instant STARTS = Instant.parse("2026-12-07T05:30:00.123456789Z");
    static final Instant ENDS = Instant.parse("2026-12-07T05:34:00.5Z");

    private Alerts() {}

    /** A firing alert named {@code name} with label {@code i}. */
    static NotifierAlert alert(String name, int i) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", name);
        labels.put("i", Integer.toString(i));
        return new NotifierAlert(labels, Map.of("summary", name + " " + i), STARTS, ENDS, "http://tally:9090/graph");
    }

    static List<NotifierAlert> alerts(String name, int from, int to) {
        List<NotifierAlert> out = new ArrayList<>();
        for (int i = from; i < to; i++) out.add(alert(name, i));
        return out;
    }

    /** The "alertname/i" of each alert as received. */
    @SuppressWarnings("unchecked")
    static List<String> ids(List<Map<String, Object>> received) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> a : received) {
            Map<String, Object> labels = (Map<String, Object>) a.get("labels");
            out.add(labels.get("alertname") + "/" + labels.get("i"));
        }
        return out;
    }

    static List<String> ids(String name, int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) out.add(name + "/" + i);
        return out;
    }
}
