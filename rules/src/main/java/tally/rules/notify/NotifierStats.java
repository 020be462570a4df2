package tally.rules.notify;

import java.util.List;

/**
 * A point-in-time view of the notifier for /metrics, one field per Prometheus metric:
 * <ul>
 * <li>{@code droppedTotal}: {@code prometheus_notifications_dropped_total}, alerts lost to a full queue, to a failed
 *     request, or still queued when an Alertmanager was removed or the notifier closed; it keeps counting over
 *     Alertmanagers that are gone;</li>
 * <li>{@code queueLength}: {@code prometheus_notifications_queue_length}, alerts waiting, summed over the
 *     Alertmanagers (each has its own queue, so one alert waits once per Alertmanager);</li>
 * <li>{@code queueCapacity}: {@code prometheus_notifications_queue_capacity}, the capacity of each queue;</li>
 * <li>{@code alertmanagersDiscovered}: {@code prometheus_notifications_alertmanagers_discovered};</li>
 * <li>{@code alertmanagers}: the series with the {@code alertmanager} label, one per current Alertmanager.</li>
 * </ul>
 */
public record NotifierStats(long droppedTotal, long queueLength, int queueCapacity, int alertmanagersDiscovered,
                            List<AlertmanagerStats> alertmanagers) {

    public NotifierStats {
        alertmanagers = List.copyOf(alertmanagers);
    }

    /** The stats of one Alertmanager, or null if it is not a current one. */
    public AlertmanagerStats alertmanager(String url) {
        for (AlertmanagerStats s : alertmanagers) if (s.alertmanager().equals(url)) return s;
        return null;
    }

    /**
     * The series of one Alertmanager, labelled {@code alertmanager="<url>"}:
     * {@code prometheus_notifications_sent_total} ({@code sentTotal}), {@code prometheus_notifications_errors_total}
     * ({@code errorsTotal}, alerts in failed requests), {@code prometheus_notifications_dropped_total} and
     * {@code prometheus_notifications_queue_length} as Prometheus 3.10+ labels them per Alertmanager
     * ({@code droppedTotal}, {@code queueLength}), and the sum and count of the summary
     * {@code prometheus_notifications_latency_seconds} (successful requests only, as in Prometheus).
     */
    public record AlertmanagerStats(String alertmanager, long sentTotal, long errorsTotal, long droppedTotal,
                                    int queueLength, double latencySecondsSum, long latencySecondsCount) {}
}
