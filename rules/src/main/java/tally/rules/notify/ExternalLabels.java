package tally.rules.notify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Adds the external labels to alerts, as Prometheus does before queueing them. */
final class ExternalLabels {
    private ExternalLabels() {}

    /**
     * Each alert with every external label it lacks; an alert's own value wins. An empty value counts as absent,
     * since Prometheus reads a label set that way. Alerts that need nothing are passed on as they are.
     */
    static List<NotifierAlert> add(List<NotifierAlert> alerts, Map<String, String> external) {
        if (external.isEmpty()) return List.copyOf(alerts);
        List<NotifierAlert> out = new ArrayList<>(alerts.size());
        for (NotifierAlert a : alerts) {
            Map<String, String> labels = null;
            for (Map.Entry<String, String> e : external.entrySet()) {
                String own = a.labels().get(e.getKey());
                if (own != null && !own.isEmpty()) continue;
                if (labels == null) labels = new LinkedHashMap<>(a.labels());
                labels.put(e.getKey(), e.getValue());
            }
            out.add(labels == null ? a : a.withLabels(labels));
        }
        return out;
    }
}
