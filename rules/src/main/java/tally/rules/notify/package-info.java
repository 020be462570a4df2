/**
 * The Alertmanager notifier: {@link tally.rules.notify.Notifier} queues the alerts of the rule engine and posts them
 * to every configured Alertmanager's v2 API ({@code POST /api/v2/alerts}), with the behaviour of Prometheus's
 * notifier package: external labels, batches of 256, one independent queue and sender per Alertmanager, no retries,
 * basic auth or an Authorization header, and its metrics ({@link tally.rules.notify.NotifierStats}).
 */
package tally.rules.notify;
