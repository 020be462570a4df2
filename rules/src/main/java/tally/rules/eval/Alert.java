package tally.rules.eval;

import java.util.Map;
import tally.model.Labels;

/**
 * One alert of an alerting rule: a label set its expression returned. Times are epoch milliseconds of group
 * evaluations; {@link #UNSET} stands for Go's zero time (an evaluation at epoch 0 is a real time in rule tests).
 */
public final class Alert {
    public static final long UNSET = Long.MIN_VALUE;

    AlertState state;
    final Labels labels;
    Map<String, String> annotations;
    double value;
    long activeAt;
    long firedAt = UNSET;
    long resolvedAt = UNSET;
    long lastSentAt = UNSET;
    long validUntil = UNSET;
    long keepFiringSince = UNSET;

    Alert(Labels labels, Map<String, String> annotations, double value, long activeAt) {
        this.labels = labels;
        this.annotations = annotations;
        this.value = value;
        this.activeAt = activeAt;
        this.state = AlertState.PENDING;
    }

    private Alert(Alert a) {
        state = a.state;
        labels = a.labels;
        annotations = a.annotations;
        value = a.value;
        activeAt = a.activeAt;
        firedAt = a.firedAt;
        resolvedAt = a.resolvedAt;
        lastSentAt = a.lastSentAt;
        validUntil = a.validUntil;
        keepFiringSince = a.keepFiringSince;
    }

    Alert copy() {
        return new Alert(this);
    }

    /** Pending alerts are never sent; a resolution since the last send is; otherwise after the resend delay. */
    boolean needsSending(long ts, long resendDelayMs) {
        if (state == AlertState.PENDING) return false;
        if (resolvedAt != UNSET && (lastSentAt == UNSET || resolvedAt > lastSentAt)) return true;
        return lastSentAt == UNSET || lastSentAt + resendDelayMs < ts;
    }

    public AlertState state() { return state; }
    public Labels labels() { return labels; }
    public Map<String, String> annotations() { return annotations; }
    public double value() { return value; }
    public long activeAt() { return activeAt; }
    public long firedAt() { return firedAt; }
    public long resolvedAt() { return resolvedAt; }
    public long validUntil() { return validUntil; }
    public long keepFiringSince() { return keepFiringSince; }
}
