package tally.rules.eval;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tally.model.Labels;
import tally.model.LabelsBuilder;
import tally.promql.ast.Expr;
import tally.promql.engine.Sample;

/** A recording rule: every sample of its expression becomes a sample of the series named {@code record}. */
public final class RecordingRule extends Rule {
    public RecordingRule(String record, Expr expr, String exprText, Labels labels) {
        super(record, expr, exprText, labels);
    }

    @Override
    List<Sample> eval(long ts, long queryOffset, RuleQuery query, int limit) {
        long t = ts - queryOffset;
        List<Sample> result = query.query(expr, exprText, t);
        List<Sample> out = new ArrayList<>(result.size());
        Set<Labels> seen = new HashSet<>(result.size() * 2);
        LabelsBuilder b = new LabelsBuilder();
        for (Sample s : result) {
            b.reset(s.labels());
            b.set(Labels.METRIC_NAME, name);
            for (int i = 0; i < labels.size(); i++) b.set(labels.name(i), labels.value(i));
            Labels l = b.build();
            if (!seen.add(l)) throw new IllegalStateException("vector contains metrics with the same labelset after applying rule labels");
            out.add(new Sample(l, t, s.v()));
        }
        if (limit > 0 && out.size() > limit) {
            throw new IllegalStateException("exceeded limit of " + limit + " with " + out.size() + " series");
        }
        return out;
    }

    @Override
    String describe() {
        return "record: " + name + "\nexpr: " + exprText + "\nlabels: " + labels;
    }
}
