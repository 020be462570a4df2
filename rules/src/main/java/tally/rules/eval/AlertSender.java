package tally.rules.eval;

import java.util.List;
import java.util.Map;
import tally.model.Labels;

/** Where alerting rules send alerts that are due (the notifier, which queues them for every Alertmanager). */
@FunctionalInterface
public interface AlertSender {
    /** One alert as Alertmanager receives it; times in epoch milliseconds, endsAt the resolution or the validity. */
    record SentAlert(Labels labels, Map<String, String> annotations, long startsAtMillis, long endsAtMillis, String generatorURL) {}

    void send(List<SentAlert> alerts);
}
