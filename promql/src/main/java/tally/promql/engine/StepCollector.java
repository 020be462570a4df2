package tally.promql.engine;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tally.model.Labels;

/**
 * Gathers per-step output samples into series by labels, failing like Prometheus when one step produces two
 * samples with the same labels. Keeps first-seen order (the order of an instant query's result).
 */
final class StepCollector {
    private final Map<LabelsKey, StepSeries> byLabels = new LinkedHashMap<>();
    /** Callers pass the same Labels object at every step: find its series without hashing its strings again. */
    private final IdentityHashMap<Labels, StepSeries> byInstance = new IdentityHashMap<>();
    private final QueryContext ctx;
    private final int capacity;

    StepCollector(QueryContext ctx, int numSteps) {
        this.ctx = ctx;
        this.capacity = Math.min(numSteps, 64);
        this.oneStep = numSteps == 1;
    }

    /** One step (an instant query): every series gets one point, so no lookup by instance across steps. */
    private final boolean oneStep;

    void add(Labels labels, long t, double v) {
        if (oneStep) {
            StepSeries s = new StepSeries(labels, 1);
            if (byLabels.putIfAbsent(new LabelsKey(labels), s) != null) throw PromQLException.execution(SeriesMerger.SAME_LABELSET);
            s.add(t, v);
            ctx.addSamples(1);
            return;
        }
        StepSeries s = byInstance.get(labels);
        if (s == null) {
            LabelsKey key = new LabelsKey(labels);
            s = byLabels.get(key);
            if (s == null) {
                s = new StepSeries(labels, capacity);
                byLabels.put(key, s);
            }
            byInstance.put(labels, s);
        }
        if (s.n > 0 && s.lastT() == t) throw PromQLException.execution(SeriesMerger.SAME_LABELSET);
        s.add(t, v);
        ctx.addSamples(1);
    }

    List<StepSeries> result() { return new ArrayList<>(byLabels.values()); }
}
