package tally.rules.eval;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tally.model.Labels;
import tally.model.LabelsBuilder;
import tally.promql.ast.Expr;
import tally.promql.engine.Sample;
import tally.promql.parser.PromQLParser;
import tally.rules.template.AlertTemplate;
import tally.rules.template.AlertTemplateData;
import tally.rules.template.QuerySample;
import tally.rules.template.TemplateContext;
import tally.rules.template.TemplateException;

/**
 * An alerting rule with Prometheus 3.x semantics: each label set its expression returns is an alert, pending until
 * it has held for {@code for}, then firing; one that disappears is dropped when pending, resolved when firing (kept
 * 15 minutes to send the resolution), or kept firing for {@code keep_firing_for}. Labels and annotations are
 * templates expanded per alert. Each evaluation writes {@code ALERTS} and {@code ALERTS_FOR_STATE} samples, once
 * the rule's {@code for} state is restored after a start.
 */
public final class AlertingRule extends Rule {
    static final String ALERTS = "ALERTS";
    static final String ALERTS_FOR_STATE = "ALERTS_FOR_STATE";
    static final String ALERT_NAME = "alertname";
    static final String ALERT_STATE = "alertstate";
    /** How long a resolved alert is kept, so that its resolution is sent again until Alertmanager has it. */
    static final long RESOLVED_RETENTION_MS = 15 * 60_000L;

    private final long holdMs;
    private final long keepFiringForMs;
    private final Map<String, String> annotationTexts;
    private final Map<String, AlertTemplate> labelTemplates = new LinkedHashMap<>();
    private final Map<String, AlertTemplate> annotationTemplates = new LinkedHashMap<>();
    private final Map<String, String> externalLabels;
    private final String externalURL;
    /** Active alerts by label set; guarded by this rule's monitor (evaluation, API reads, restore). */
    private final Map<Labels, Alert> active = new LinkedHashMap<>();
    private volatile boolean restored;
    private volatile boolean evaluated;

    /**
     * @throws TemplateException when a label or annotation template does not parse (rule files are checked
     *         before, so this means a caller skipped that check)
     */
    public AlertingRule(String name, Expr expr, String exprText, long holdMs, long keepFiringForMs, Labels labels,
                        Map<String, String> annotations, Map<String, String> externalLabels, String externalURL,
                        boolean restored) throws TemplateException {
        super(name, expr, exprText, labels);
        this.holdMs = holdMs;
        this.keepFiringForMs = keepFiringForMs;
        this.annotationTexts = new TreeMap<>(annotations);
        this.externalLabels = externalLabels;
        this.externalURL = externalURL;
        this.restored = restored;
        for (int i = 0; i < labels.size(); i++) labelTemplates.put(labels.name(i), AlertTemplate.parse(name, labels.value(i)));
        for (Map.Entry<String, String> a : annotationTexts.entrySet()) annotationTemplates.put(a.getKey(), AlertTemplate.parse(name, a.getValue()));
    }

    public long holdMillis() { return holdMs; }

    public long keepFiringForMillis() { return keepFiringForMs; }

    public Map<String, String> annotations() { return annotationTexts; }

    boolean restored() { return restored; }

    void setRestored() { restored = true; }

    @Override
    synchronized List<Sample> eval(long ts, long queryOffset, RuleQuery query, int limit) {
        evaluated = true;
        List<Sample> result = query.query(expr, exprText, ts - queryOffset);
        Map<Labels, Alert> current = new LinkedHashMap<>();
        LabelsBuilder b = new LabelsBuilder();
        for (Sample s : result) {
            Map<String, String> sampleLabels = s.labels().toMap();
            AlertTemplateData data = new AlertTemplateData(sampleLabels, externalLabels, externalURL, s.v());
            TemplateContext ctx = context(query, ts);
            b.reset(s.labels());
            b.remove(Labels.METRIC_NAME);
            for (Map.Entry<String, AlertTemplate> l : labelTemplates.entrySet()) b.set(l.getKey(), expand(l.getValue(), data, ctx));
            b.set(ALERT_NAME, name);
            Map<String, String> annotations = new TreeMap<>();
            for (Map.Entry<String, AlertTemplate> a : annotationTemplates.entrySet()) annotations.put(a.getKey(), expand(a.getValue(), data, ctx));
            Labels l = b.build();
            if (current.containsKey(l)) {
                throw new IllegalStateException("vector contains metrics with the same labelset after applying alert labels");
            }
            current.put(l, new Alert(l, annotations, s.v(), ts));
        }
        for (Alert a : current.values()) {
            Alert known = active.get(a.labels);
            if (known != null && known.state != AlertState.INACTIVE) {
                known.value = a.value;
                known.annotations = a.annotations;
            } else {
                active.put(a.labels, a);
            }
        }
        List<Sample> out = new ArrayList<>();
        int activeOrPending = 0;
        for (var it = active.entrySet().iterator(); it.hasNext(); ) {
            Alert a = it.next().getValue();
            if (!current.containsKey(a.labels)) {
                boolean keepFiring = false;
                if (a.state == AlertState.FIRING && keepFiringForMs > 0) {
                    if (a.keepFiringSince == Alert.UNSET) a.keepFiringSince = ts;
                    keepFiring = ts - a.keepFiringSince < keepFiringForMs;
                }
                if (a.state == AlertState.PENDING || (a.resolvedAt != Alert.UNSET && ts - a.resolvedAt > RESOLVED_RETENTION_MS)) {
                    it.remove();
                }
                if (a.state != AlertState.INACTIVE && !keepFiring) {
                    a.state = AlertState.INACTIVE;
                    a.resolvedAt = ts;
                }
                if (!keepFiring) continue;
            } else {
                a.keepFiringSince = Alert.UNSET;
            }
            activeOrPending++;
            if (a.state == AlertState.PENDING && ts - a.activeAt >= holdMs) {
                a.state = AlertState.FIRING;
                a.firedAt = ts;
            }
            if (a.state == AlertState.FIRING && ts - a.activeAt < holdMs) { // a restored activeAt can move back
                a.state = AlertState.PENDING;
                a.firedAt = Alert.UNSET;
                a.lastSentAt = Alert.UNSET;
                a.keepFiringSince = Alert.UNSET;
            }
            if (restored) {
                out.add(alertsSample(a, ts - queryOffset));
                out.add(forStateSample(a.labels, ts - queryOffset, Math.floorDiv(a.activeAt, 1000L)));
            }
        }
        if (limit > 0 && activeOrPending > limit) {
            active.clear();
            throw new IllegalStateException("exceeded limit of " + limit + " with " + activeOrPending + " alerts");
        }
        return out;
    }

    /** {@code ALERTS{...labels, alertname, alertstate} 1}: the rule's labels, overridden by the alert's. */
    private Sample alertsSample(Alert a, long t) {
        LabelsBuilder b = new LabelsBuilder(labels);
        for (int i = 0; i < a.labels.size(); i++) b.set(a.labels.name(i), a.labels.value(i));
        b.set(Labels.METRIC_NAME, ALERTS);
        b.set(ALERT_NAME, name);
        b.set(ALERT_STATE, a.state.apiName());
        return new Sample(b.build(), t, 1);
    }

    /** {@code ALERTS_FOR_STATE{...labels, alertname} <activeAt in seconds>}: what a restart restores {@code for} from. */
    private Sample forStateSample(Labels alertLabels, long t, double activeAtSeconds) {
        LabelsBuilder b = new LabelsBuilder(labels);
        if (alertLabels != null) for (int i = 0; i < alertLabels.size(); i++) b.set(alertLabels.name(i), alertLabels.value(i));
        b.set(Labels.METRIC_NAME, ALERTS_FOR_STATE);
        b.set(ALERT_NAME, name);
        return new Sample(b.build(), t, activeAtSeconds);
    }

    /**
     * Matchers for this rule's {@code ALERTS_FOR_STATE} series: the name, alertname and every rule label that is not a
     * template (an expanded one may differ per alert).
     */
    List<tally.model.Matcher> forStateMatchers() {
        List<tally.model.Matcher> ms = new ArrayList<>();
        Labels l = forStateSample(null, 0, 0).labels();
        for (int i = 0; i < l.size(); i++) {
            if (!l.value(i).contains("{{")) ms.add(tally.model.Matcher.equal(l.name(i), l.value(i)));
        }
        return ms;
    }

    /** Applies a restored activeAt to the active alert with these labels, if any. */
    synchronized void restoreActiveAt(Labels alertLabels, java.util.function.LongUnaryOperator restore) {
        Alert a = active.get(alertLabels);
        if (a != null) a.activeAt = restore.applyAsLong(a.activeAt);
    }

    synchronized List<Labels> activeLabels() {
        return new ArrayList<>(active.keySet());
    }

    private String expand(AlertTemplate t, AlertTemplateData data, TemplateContext ctx) {
        try {
            return t.expand(data, ctx);
        } catch (TemplateException e) {
            return "<error expanding template: " + e.getMessage() + ">";
        }
    }

    private static TemplateContext context(RuleQuery query, long ts) {
        return new TemplateContext() {
            @Override
            public List<QuerySample> query(String promql) {
                List<QuerySample> out = new ArrayList<>();
                for (Sample s : query.query(PromQLParser.parseExpr(promql), promql, ts)) out.add(new QuerySample(s.labels().toMap(), s.v()));
                return out;
            }

            @Override
            public long evalTimeMillis() {
                return ts;
            }
        };
    }

    /**
     * Alerts to send after an evaluation at {@code ts}: firing ones not sent for the resend delay, and resolutions
     * not sent yet. Marks them sent and valid for four of the larger of interval and resend delay.
     */
    synchronized List<Alert> alertsToSend(long ts, long resendDelayMs, long intervalMs) {
        List<Alert> out = new ArrayList<>();
        for (Alert a : active.values()) {
            if (!a.needsSending(ts, resendDelayMs)) continue;
            a.lastSentAt = ts;
            a.validUntil = ts + 4 * Math.max(intervalMs, resendDelayMs);
            out.add(a.copy());
        }
        return out;
    }

    /** Prometheus's link for an alert's source: the expression in the table view, escaped as Go's url.QueryEscape. */
    String generatorPath() {
        return "/graph?g0.expr=" + URLEncoder.encode(exprText, StandardCharsets.UTF_8).replace("*", "%2A").replace("%7E", "~") + "&g0.tab=1";
    }

    /** The highest state of its alerts; unknown before the first evaluation. */
    public synchronized AlertState state() {
        if (!evaluated) return AlertState.UNKNOWN;
        AlertState max = AlertState.INACTIVE;
        for (Alert a : active.values()) if (a.state.compareTo(max) > 0) max = a.state;
        return max;
    }

    /** Pending and firing alerts (resolved ones are not listed), copied. */
    public synchronized List<Alert> activeAlerts() {
        List<Alert> out = new ArrayList<>();
        for (Alert a : active.values()) if (a.resolvedAt == Alert.UNSET) out.add(a.copy());
        return out;
    }

    /** Every alert the rule tracks, resolved ones included (reload copies them). */
    synchronized Map<Labels, Alert> snapshotActive() {
        Map<Labels, Alert> copy = new HashMap<>();
        for (Map.Entry<Labels, Alert> e : active.entrySet()) copy.put(e.getKey(), e.getValue().copy());
        return copy;
    }

    synchronized void copyActiveFrom(AlertingRule other) {
        active.putAll(other.snapshotActive());
    }

    @Override
    String describe() {
        return "alert: " + name + "\nexpr: " + exprText + "\nfor: " + holdMs + "\nkeep_firing_for: " + keepFiringForMs
                + "\nlabels: " + labels + "\nannotations: " + annotationTexts;
    }
}
