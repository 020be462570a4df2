package tally.bench.load;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tally.promql.ast.Durations;
import tally.server.grafana.DashboardQueries;
import tally.server.grafana.GrafanaVariables;

/**
 * Every query a Grafana dashboard of this repository sends when it is opened over the last 1 d and the last
 * 30 d: panel range and instant queries and the template variables' label-value lookups, with Grafana's
 * variables substituted (every template variable on All). The step is what Grafana picks for a ~1000 px
 * panel: 1 m over 1 d and 1 h over 30 d, raised to a panel's minimum interval.
 */
final class PanelQueries {
    /** One HTTP request: a name for the report and the path + query string to GET. */
    record Request(String name, String pathAndQuery) {}

    private static final long[][] RANGES = {{1, 60}, {30, 3600}}; // days, Grafana's step in seconds

    private PanelQueries() {}

    /**
     * @param dashboard a dashboard JSON file (the self-monitoring dashboard asks for Tally's own metrics,
     *                  which the peers do not have, so the benchmark uses the Claude Code one)
     * @param endMs the end of the dashboard range
     */
    static List<Request> of(Path dashboard, long endMs) {
        List<Request> out = new ArrayList<>();
        for (long[] r : RANGES) {
            long rangeS = r[0] * 86_400, stepS = r[1];
            GrafanaVariables vars = new GrafanaVariables(rangeS, stepS, 60, Map.of());
            long startMs = endMs - rangeS * 1000;
            for (DashboardQueries.Query q : DashboardQueries.of(DashboardQueries.read(dashboard), vars)) {
                String name = r[0] + "d " + q.panelTitle() + " [" + q.refId() + "]";
                switch (q.kind()) {
                    case RANGE: {
                        long step = q.minStep().isEmpty() ? stepS : Math.max(stepS, Durations.parseMillis(q.minStep()) / 1000);
                        long start = Math.floorDiv(startMs / 1000, step) * step; // Grafana aligns the range to the step
                        out.add(new Request(name, "/api/v1/query_range?query=" + QueryCommand.enc(q.expr())
                                + "&start=" + start + "&end=" + QueryCommand.seconds(endMs) + "&step=" + step));
                        break;
                    }
                    case INSTANT:
                        out.add(new Request(name, "/api/v1/query?query=" + QueryCommand.enc(q.expr())
                                + "&time=" + QueryCommand.seconds(endMs)));
                        break;
                    case LABEL_VALUES:
                        out.add(new Request(name, "/api/v1/label/" + q.refId() + "/values?match[]=" + QueryCommand.enc(q.expr())
                                + "&start=" + QueryCommand.seconds(startMs) + "&end=" + QueryCommand.seconds(endMs)));
                        break;
                    default:
                        throw new IllegalStateException("unknown query kind " + q.kind());
                }
            }
        }
        return out;
    }
}
