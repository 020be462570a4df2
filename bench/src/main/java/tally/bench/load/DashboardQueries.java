package tally.bench.load;

import java.util.ArrayList;
import java.util.List;

/** The dashboard queries of DESIGN.md section 7, each over 1 d and over 30 d, ending at the data's last sample. */
final class DashboardQueries {
    static final long DAY = 86_400_000L;

    static final class Query {
        final String name;
        final String promql;
        /** 0 for an instant query. */
        final long rangeMs;
        final long stepMs;

        Query(String name, String promql, long rangeMs, long stepMs) {
            this.name = name;
            this.promql = promql;
            this.rangeMs = rangeMs;
            this.stepMs = stepMs;
        }
    }

    private DashboardQueries() {}

    static List<Query> forWorkload(String workload) {
        List<Query> q = new ArrayList<>();
        if (workload.equals("claude")) {
            for (int days : new int[] {1, 30}) {
                String d = days + "d";
                q.add(new Query("cost by model, increase[1d], " + d + " step 1h",
                        "sum by (model) (increase(claude_code_cost_usage_USD_total[1d]))", days * DAY, 3_600_000L));
                q.add(new Query("token rate by type, rate[5m], " + d + (days == 1 ? " step 5m" : " step 1h"),
                        "sum(rate(claude_code_token_usage_tokens_total[5m])) by (type)", days * DAY, days == 1 ? 300_000L : 3_600_000L));
                q.add(new Query("commits (max-min_over_time), instant " + d,
                        "sum(max_over_time(claude_code_commit_count_total[" + d + "]) - min_over_time(claude_code_commit_count_total[" + d + "]))", 0, 0));
                q.add(new Query("distinct sessions, instant " + d,
                        "count(count by (session_id) (count_over_time(claude_code_session_count_total[" + d + "])))", 0, 0));
                q.add(new Query("top 10 users by cost, instant " + d,
                        "topk(10, sum by (user_account_uuid) (increase(claude_code_cost_usage_USD_total[" + d + "])))", 0, 0));
            }
        } else {
            q.add(new Query("counter rate sum, 1d step 5m", "sum(rate({__name__=~\"synthetic_counter_.+\"}[5m]))", DAY, 300_000L));
            q.add(new Query("gauge avg by host, 1d step 5m", "avg by (host) ({__name__=~\"synthetic_gauge_.+\"})", DAY, 300_000L));
            q.add(new Query("gauge max_over_time[1d], instant", "max(max_over_time(synthetic_gauge_1[1d]))", 0, 0));
        }
        return q;
    }
}
