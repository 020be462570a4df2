package tally.server.api;

import tally.model.Labels;
import tally.promql.engine.InstantVector;
import tally.promql.engine.RangeMatrix;
import tally.promql.engine.Sample;
import tally.promql.engine.Scalar;
import tally.promql.engine.SeriesPoints;
import tally.promql.engine.StringValue;
import tally.promql.engine.Value;

/** Writes engine values in the {@code data} shape of Prometheus's query API (public for the bench's MatrixJsonBench). */
public final class ResultJson {
    private ResultJson() {}

    /** {"resultType":..,"result":..}; at most {@code limit} series when limit > 0. Returns whether it truncated. */
    public static boolean write(JsonOut out, Value v, int limit) {
        out.raw("{\"resultType\":\"").raw(v.type().apiName()).raw("\",\"result\":");
        boolean truncated = false;
        if (v instanceof Scalar s) {
            out.raw('[').timestamp(s.t()).raw(',').value(s.v()).raw(']');
        } else if (v instanceof StringValue s) {
            out.raw('[').timestamp(s.t()).raw(',').str(s.v()).raw(']');
        } else if (v instanceof InstantVector vec) {
            out.raw('[');
            int n = vec.samples().size();
            if (limit > 0 && n > limit) {
                n = limit;
                truncated = true;
            }
            for (int i = 0; i < n; i++) {
                Sample s = vec.samples().get(i);
                if (i > 0) out.raw(',');
                out.raw("{\"metric\":");
                labels(out, s.labels());
                out.raw(",\"value\":[").timestamp(s.t()).raw(',').value(s.v()).raw("]}");
            }
            out.raw(']');
        } else if (v instanceof RangeMatrix m) {
            out.raw('[');
            int n = m.series().size();
            if (limit > 0 && n > limit) {
                n = limit;
                truncated = true;
            }
            for (int i = 0; i < n; i++) {
                SeriesPoints s = m.series().get(i);
                if (i > 0) out.raw(',');
                out.raw("{\"metric\":");
                labels(out, s.labels());
                out.raw(",\"values\":[");
                for (int k = 0; k < s.count(); k++) {
                    if (k > 0) out.raw(',');
                    out.raw('[').timestamp(s.ts()[k]).raw(',').value(s.vs()[k]).raw(']');
                }
                out.raw("]}");
            }
            out.raw(']');
        }
        out.raw('}');
        return truncated;
    }

    static void labels(JsonOut out, Labels l) {
        out.raw('{');
        for (int i = 0; i < l.size(); i++) {
            if (i > 0) out.raw(',');
            out.str(l.name(i)).raw(':').str(l.value(i));
        }
        out.raw('}');
    }
}
