package tally.rules.notify;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One alert as sent to Alertmanager. A null {@code startsAt} or {@code endsAt} is "not set" and is left out of the
 * request (Alertmanager then fills it in); a null {@code generatorURL} is the empty one. The maps are copied, so the
 * caller may reuse its own.
 */
public record NotifierAlert(Map<String, String> labels, Map<String, String> annotations, Instant startsAt,
                            Instant endsAt, String generatorURL) {

    public NotifierAlert {
        labels = copy(labels);
        annotations = copy(annotations);
        generatorURL = generatorURL == null ? "" : generatorURL;
    }

    /** This alert with other labels (external labels added); the rest is shared. */
    NotifierAlert withLabels(Map<String, String> newLabels) {
        return new NotifierAlert(newLabels, annotations, startsAt, endsAt, generatorURL);
    }

    private static Map<String, String> copy(Map<String, String> m) {
        if (m == null || m.isEmpty()) return Map.of();
        // Go label values cannot be nil: a null value is the empty one (which Alertmanager drops from labels).
        Map<String, String> c = new LinkedHashMap<>();
        m.forEach((k, v) -> c.put(Objects.requireNonNull(k, "label name"), v == null ? "" : v));
        return Collections.unmodifiableMap(c);
    }
}
