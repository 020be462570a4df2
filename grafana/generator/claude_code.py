"""The "Claude Code usage" dashboard."""
from common import Layout, stat, timeseries, bargauge, piechart, table, target, base, query_var, dashboard

TOK = "claude_code_token_usage_tokens_total"
COST = "claude_code_cost_usage_USD_total"
ACTIVE = "claude_code_active_time_seconds_total"
SESSIONS = "claude_code_session_count_total"
LINES = "claude_code_lines_of_code_count_total"
COMMITS = "claude_code_commit_count_total"
PRS = "claude_code_pull_request_count_total"
EDITS = "claude_code_code_edit_tool_decision_total"

# Series recorded by Tally's built-in rules (rules/src/main/resources/tally/rules/claude-code.rules.yml).
# The rules aggregate organization_id, user_email and session_id away: the ratios keep only `model`, and
# lines-per-USD keeps no label at all. Panels reading them must not filter on the dropped labels (a matcher
# on a missing label would only match the All value `.*`), so they filter on $model at most.
CACHE_5M = "claude_code:cache_efficiency:ratio5m"
CACHE_1H = "claude_code:cache_efficiency:ratio1h"
COST_PER_1K_1H = "claude_code:cost_per_1k_output_tokens:ratio1h"
LINES_PER_USD_1H = "claude_code:lines_added_per_usd:ratio1h"
RULE_NOTE = (" Recorded by Tally's rule {}, which sums by model: the organization, user and session "
             "filters do not apply.")

# every metric carries these; only token, cost and lines-of-code carry `model`
WHO = 'organization_id=~"$organization", user_email=~"$user", session_id=~"$session"'
WHO_MODEL = WHO + ', model=~"$model"'


def sel(metric, extra="", model=False):
    m = WHO_MODEL if model else WHO
    return metric + "{" + (extra + ", " if extra else "") + m + "}"


def by(labels):
    return " by (" + labels + ")" if labels else ""


def inc(metric, extra="", model=False, group=""):
    """Total over the dashboard range for dense counters (a sample in nearly every export interval)."""
    return "sum" + by(group) + " (increase(" + sel(metric, extra, model) + "[$__range]))"


def exact(metric, extra="", model=False, group="", window="$__range"):
    """Total over the window for sparse event counters: per series, the last value in the window
    minus the last value in the 7 days before it (0 for a series that starts in the window). Exact
    even for a session that exported the counter once, which increase() cannot see (it needs two
    samples). With window $__interval in a range query, each step is the total of its own interval."""
    s = sel(metric, extra, model)
    now = "last_over_time(" + s + "[" + window + "])"
    before = "last_over_time(" + s + "[7d] offset " + window + ")"
    return "sum" + by(group) + " ((" + now + " - " + before + ") or " + now + ")"


def rate(metric, extra="", model=False, group="", factor=""):
    return "sum" + by(group) + " (rate(" + sel(metric, extra, model) + "[$__rate_interval]))" + factor


def zero(expr):
    return expr + " or vector(0)"


def ratio(num, den):
    return "(" + num + ") / (" + den + ")"



def recorded(name):
    """A series recorded `by (model)`: only the model variable can filter it."""
    return name + '{model=~"$model"}'


def per_model_stat(title, description, expr, unit, decimals, color):
    """A stat with one value per model, each labelled with its model."""
    p = stat(title, description, expr, unit, decimals, color)
    p["targets"][0]["legendFormat"] = "{{model}}"
    p["options"]["textMode"] = "value_and_name"
    return p


def hourly(panel):
    """Steps of at least an hour: per-interval totals of sparse counters stay readable as bars."""
    panel["interval"] = "1h"
    return panel

L = Layout()

# ---------------------------------------------------------------- overview
L.row("Overview")
L.add(stat("Sessions started", "Claude Code sessions started in the time range (claude_code.session.count).",
           zero(exact(SESSIONS)), "short", 0), 3, 4)
L.add(stat("Active users", "Distinct user_email with any active time in the range. Needs OAuth login "
           "(user.email); all API-key sessions count as one user.",
           zero("count(count by (user_email) (last_over_time(" + sel(ACTIVE) + "[$__range])))"), "short", 0), 3, 4)
L.add(stat("Cost", "Cost reported by Claude Code in the range, in USD.", zero(inc(COST, model=True)),
           "currencyUSD", 2, "green"), 3, 4)
L.add(stat("Tokens", "All tokens (input, output, cache read, cache creation) in the range.",
           zero(inc(TOK, model=True)), "short", None), 3, 4)
L.add(per_model_stat("Cache efficiency (1h)", "Cache reads divided by all input-side tokens (input + cache read + "
                    "cache creation) in the hour before the end of the time range, per model. Higher is cheaper."
                    + RULE_NOTE.format(CACHE_1H), recorded(CACHE_1H), "percentunit", 1, "purple"), 3, 4)
L.add(per_model_stat("Cost per 1k output tokens (1h)", "Cost divided by output tokens, times 1000, in the hour "
                    "before the end of the time range, per model." + RULE_NOTE.format(COST_PER_1K_1H),
                    recorded(COST_PER_1K_1H), "currencyUSD", 3, "green"), 3, 4)
L.add(stat("Productivity ratio", "CLI active time divided by user active time: how many seconds Claude "
           "worked for each second the user spent interacting.",
           ratio(inc(ACTIVE, 'type="cli"'), inc(ACTIVE, 'type="user"')), "x", 2, "orange"), 3, 4)
L.add(stat("Edit accept rate", "Accepted Edit/Write/NotebookEdit permission decisions divided by all decisions.",
           ratio(exact(EDITS, 'decision="accept"'), exact(EDITS)), "percentunit", 1, "purple"), 3, 4)

# ---------------------------------------------------------------- cost
L.row("Cost")
L.add(timeseries("Cost rate by model", "USD per hour, by model.",
                 [target(rate(COST, model=True, group="model", factor=" * 3600"), legend="{{model}}")],
                 "currencyUSD", stack=True, decimals=2), 12, 8)
L.add(bargauge("Cost by model", "Cost in the range, by model.", inc(COST, model=True, group="model"),
               "{{model}}", "currencyUSD", 2), 6, 8)
L.add(timeseries("Cost per 1k output tokens by model", "Cost divided by output tokens, times 1000, over the "
                 "preceding hour at each point, by model." + RULE_NOTE.format(COST_PER_1K_1H),
                 [target(recorded(COST_PER_1K_1H), legend="{{model}}")], "currencyUSD", decimals=3), 6, 8)
L.add(timeseries("Cost over time", "USD per hour for all selected sessions, with the range total in the legend.",
                 [target(rate(COST, model=True, factor=" * 3600"), legend="USD per hour")],
                 "currencyUSD", decimals=2), 24, 7)

# ---------------------------------------------------------------- tokens
L.row("Tokens")
L.add(timeseries("Tokens by type", "Tokens per minute, by type (input, output, cacheRead, cacheCreation).",
                 [target(rate(TOK, model=True, group="type", factor=" * 60"), legend="{{type}}")],
                 "short", stack=True), 12, 8)
L.add(timeseries("Tokens by model", "Tokens per minute, by model.",
                 [target(rate(TOK, model=True, group="model", factor=" * 60"), legend="{{model}}")],
                 "short", stack=True), 12, 8)
L.add(bargauge("Tokens by type in range", "Token totals in the range, by type.",
               inc(TOK, model=True, group="type"), "{{type}}", "short"), 8, 8)
L.add(bargauge("Tokens by model in range", "Token totals in the range, by model.",
               inc(TOK, model=True, group="model"), "{{model}}", "short"), 8, 8)
L.add(timeseries("Cache efficiency over time", "Cache reads divided by all input-side tokens over the preceding "
                 "5 minutes at each point, by model." + RULE_NOTE.format(CACHE_5M),
                 [target(recorded(CACHE_5M), legend="{{model}}")], "percentunit", decimals=1), 8, 8)

# ---------------------------------------------------------------- code and git
L.row("Code and git")
L.add(stat("Lines added", "Lines of code added by Claude Code in the range.",
           zero(exact(LINES, 'type="added"', True)), "short", 0, "green"), 4, 4)
L.add(stat("Lines removed", "Lines of code removed by Claude Code in the range.",
           zero(exact(LINES, 'type="removed"', True)), "short", 0, "red"), 4, 4)
L.add(stat("Commits", "Git commits created through Claude Code in the range.", zero(exact(COMMITS)),
           "short", 0), 4, 4)
L.add(stat("Pull requests", "Pull requests created through Claude Code in the range.", zero(exact(PRS)),
           "short", 0), 4, 4)
L.add(stat("Cost per commit", "Cost in the range divided by commits in the range.",
           ratio(inc(COST, model=True), exact(COMMITS)), "currencyUSD", 2, "green"), 4, 4)
# the rule sums over every label, model included: no template variable applies to this panel
L.add(stat("Lines added per USD (1h)", "Lines added divided by cost in the hour before the end of the time range. "
           "Recorded by Tally's rule " + LINES_PER_USD_1H + ", which sums over all sessions and models: "
           "no filter applies.", LINES_PER_USD_1H, "short", 0, "green"), 4, 4)
# sparse counters: exact per-interval totals as bars (rate() would miss sessions with a single export)
L.add(hourly(timeseries("Lines of code per interval", "Lines added and removed in each interval (at least 1 h).",
                        [target(exact(LINES, model=True, group="type", window="$__interval"), legend="{{type}}")],
                        "short", bars=True, decimals=0)), 12, 8)
L.add(hourly(timeseries("Commits and pull requests per interval", "Commits and pull requests in each interval "
                        "(at least 1 h).",
                        [target(exact(COMMITS, window="$__interval"), "A", "commits"),
                         target(exact(PRS, window="$__interval"), "B", "pull requests")],
                        "short", bars=True, decimals=0)), 12, 8)

# ---------------------------------------------------------------- edit decisions
L.row("Edit tool decisions")
L.add(bargauge("Accept rate by tool", "Accepted decisions divided by all decisions, by tool.",
               ratio(exact(EDITS, 'decision="accept"', group="tool_name"), exact(EDITS, group="tool_name")),
               "{{tool_name}}", "percentunit", 1, 1), 8, 8)
L.add(bargauge("Accept rate by language", "Accepted decisions divided by all decisions, by language.",
               ratio(exact(EDITS, 'decision="accept"', group="language"), exact(EDITS, group="language")),
               "{{language}}", "percentunit", 1, 1), 8, 8)
L.add(piechart("Decisions by source", "Where each decision came from: config, hook, user_permanent, "
               "user_temporary, user_abort, user_reject.",
               exact(EDITS, group="source"), "{{source}}", "short"), 8, 8)
L.add(table("Edit decisions by tool, language and decision", "Decision counts in the range.",
            [("Decisions", exact(EDITS, group="tool_name, language, decision"), "short", 0)],
            ["tool_name", "language", "decision"], "Decisions"), 24, 8)

# ---------------------------------------------------------------- activity
L.row("Activity")
L.add(timeseries("Active time", "Active seconds per minute, by type: user = the user interacting, cli = "
                 "Claude working. Summed over sessions, so a team can exceed 60.",
                 [target(rate(ACTIVE, group="type", factor=" * 60"), legend="{{type}}")], "s", stack=True), 8, 8)
L.add(timeseries("Active sessions", "Sessions with active time in the last rate window.",
                 [target("count(count by (session_id) (last_over_time(" + sel(ACTIVE) + "[$__rate_interval])))",
                         legend="sessions")], "short", decimals=0), 8, 8)
L.add(stat("Active time", "User and CLI active time in the range.",
           zero(inc(ACTIVE)), "s", None, "orange"), 4, 4)
L.add(stat("CLI active time", "Time Claude was working in the range.",
           zero(inc(ACTIVE, 'type="cli"')), "s", None, "orange"), 4, 4)
L.add(stat("User active time", "Time users spent interacting in the range.",
           zero(inc(ACTIVE, 'type="user"')), "s", None, "orange"), 4, 4)
L.add(stat("Cost per active hour", "Cost divided by user + CLI active hours.",
           ratio(inc(COST, model=True), inc(ACTIVE) + " / 3600"), "currencyUSD", 2, "green"), 4, 4)

# usage by hour of day: each 1-hour step gets its UTC hour as a label (count_values turns the number
# into a label), zero-padded so the bars sort; the reduce transform then sums each hour over all days
HOUR_EXPR = ('label_replace(sum(increase(' + sel(TOK, model=True) + '[1h])) * on() group_left(hour) '
             'count_values("hour", hour(vector(time() - 3600))), "hour", "0$1", "hour", "([0-9])")')
hour_panel = base("barchart", "Tokens by hour of day (UTC)",
                  "Tokens used in each hour of the day (UTC), summed over every day in the range.",
                  [target(HOUR_EXPR, legend="{{hour}}:00", interval="1h")], "short")
hour_panel["interval"] = "1h"
hour_panel["maxDataPoints"] = 5000
hour_panel["fieldConfig"]["defaults"]["color"] = {"mode": "fixed", "fixedColor": "blue"}
hour_panel["transformations"] = [
    {"id": "reduce", "options": {"mode": "seriesToRows", "reducers": ["sum"], "includeTimeField": False}},
    {"id": "sortBy", "options": {"sort": [{"field": "Field", "desc": False}]}},
]
hour_panel["options"] = {"xField": "Field", "orientation": "vertical", "showValue": "never", "barWidth": 0.8,
                         "groupWidth": 0.7, "legend": {"showLegend": False, "displayMode": "list", "placement": "bottom"},
                         "tooltip": {"mode": "single", "sort": "none"}, "xTickLabelRotation": 0, "stacking": "none"}
L.add(hour_panel, 16, 8)
L.add(piechart("Sessions by terminal", "Sessions started in the range, by terminal.type.",
               exact(SESSIONS, group="terminal_type"), "{{terminal_type}}", "short"), 8, 8)

# ---------------------------------------------------------------- people
L.row("Users, organizations and sessions")
USER = "user_email, user_account_uuid"
L.add(table("Users", "Per user in the range (user.email and user.account_uuid come with OAuth login).",
            [("Sessions started", exact(SESSIONS, group=USER), "short", 0),
             ("Cost", inc(COST, model=True, group=USER), "currencyUSD", 2),
             ("Tokens", inc(TOK, model=True, group=USER), "short", None),
             ("Lines added", exact(LINES, 'type="added"', True, USER), "short", 0),
             ("Commits", exact(COMMITS, group=USER), "short", 0),
             ("Active time", inc(ACTIVE, group=USER), "s", None)],
            ["user_email", "user_account_uuid"], "Cost"), 24, 9)
L.add(table("Organizations", "Per organization in the range.",
            [("Users", "count by (organization_id) (count by (organization_id, user_email) (last_over_time("
              + sel(ACTIVE) + "[$__range])))", "short", 0),
             ("Sessions started", exact(SESSIONS, group="organization_id"), "short", 0),
             ("Cost", inc(COST, model=True, group="organization_id"), "currencyUSD", 2),
             ("Tokens", inc(TOK, model=True, group="organization_id"), "short", None),
             ("Lines added", exact(LINES, 'type="added"', True, "organization_id"), "short", 0),
             ("Commits", exact(COMMITS, group="organization_id"), "short", 0)],
            ["organization_id"], "Cost"), 12, 8)
TOP_SESSIONS = "topk(20, " + inc(COST, model=True, group="session_id, user_email") + ")"
L.add(table("Top sessions by cost", "The 20 most expensive sessions in the range.",
            [("Cost", TOP_SESSIONS, "currencyUSD", 2),
             ("Tokens", inc(TOK, model=True, group="session_id, user_email") + " and " + TOP_SESSIONS, "short", None),
             ("Active time", inc(ACTIVE, group="session_id, user_email") + " and " + TOP_SESSIONS, "s", None)],
            ["session_id", "user_email"], "Cost"), 12, 8)

# ---------------------------------------------------------------- alerts
# Last row, so the ids of the panels above stay as they were. ALERTS is written by Tally's rule evaluation as
# in Prometheus: one series per pending or firing alert, value 1, labels alertname, alertstate and the alert's
# own labels. The default alert (ClaudeCodeHighCost) sums over every session, so no template variable applies.
L.row("Alerts")
firing = stat("Firing alerts", "Alerts firing now (Tally's rules; ClaudeCodeHighCost by default). "
              "Pending alerts are listed next to it but not counted.",
              'count(ALERTS{alertstate="firing"}) or vector(0)', "short", 0)
firing["fieldConfig"]["defaults"]["color"] = {"mode": "thresholds"}
firing["fieldConfig"]["defaults"]["thresholds"] = {"mode": "absolute", "steps": [
    {"color": "green", "value": None}, {"color": "red", "value": 1}]}
firing["options"]["colorMode"] = "background"
L.add(firing, 4, 6)
alerts = base("table", "Pending and firing alerts", "One row per alert of Tally's rules that is pending (its "
              "condition holds, but not yet for its `for` duration) or firing, with the alert's labels.",
              [target('ALERTS{alertstate=~"firing|pending"}', instant=True, table=True)])
alerts["fieldConfig"]["defaults"]["custom"] = {"align": "auto", "filterable": True, "cellOptions": {"type": "auto"}}
alerts["fieldConfig"]["overrides"] = [{"matcher": {"id": "byName", "options": "alertstate"}, "properties": [
    {"id": "custom.cellOptions", "value": {"type": "color-text"}},
    {"id": "mappings", "value": [{"type": "value", "options": {"firing": {"color": "red", "index": 0},
                                                               "pending": {"color": "orange", "index": 1}}}]}]}]
alerts["options"] = {"showHeader": True, "cellHeight": "sm", "footer": {"show": False, "reducer": ["sum"], "fields": ""},
                     "sortBy": [{"displayName": "alertstate", "desc": False}]}
# alertname, alertstate and severity first; any other label of an alert follows; the constant value 1,
# the metric name and the time are hidden
alerts["transformations"] = [{"id": "organize", "options": {
    "excludeByName": {"Time": True, "Value": True, "__name__": True},
    "indexByName": {"alertname": 0, "alertstate": 1, "severity": 2}, "renameByName": {}}}]
L.add(alerts, 20, 6)

# ---------------------------------------------------------------- events
# Series Tally derives from Claude Code's events (OTLP logs, OTEL_LOGS_EXPORTER=otlp; docs/claude-code-events.md).
# They carry the identity labels but never session_id (one series per session would explode), so the session
# variable does not narrow them; the model variable narrows the API panels, the only ones with a model label.
# Last row, so the ids of the panels above stay as they were.
API_REQ = "claude_code_api_requests_total"
API_ERR = "claude_code_api_errors_total"
API_DUR = "claude_code_api_request_duration_seconds"
TTFT = "claude_code_api_time_to_first_token_seconds"
TOOL_CALLS = "claude_code_tool_calls_total"
TOOL_DUR = "claude_code_tool_duration_seconds"
TOOL_DEC = "claude_code_tool_decisions_total"
PROMPT_LEN = "claude_code_prompt_length_chars"
EV_WHO = 'organization_id=~"$organization", user_email=~"$user"'
EVENTS_NOTE = " From Claude Code's events (OTEL_LOGS_EXPORTER=otlp); the session filter does not apply."


def ev(metric, extra="", model=False):
    return metric + "{" + (extra + ", " if extra else "") + EV_WHO + (', model=~"$model"' if model else "") + "}"


def ev_exact(metric, extra="", model=False, group=""):
    """Total in the range of a sparse counter derived from events (see exact())."""
    s = ev(metric, extra, model)
    now = "last_over_time(" + s + "[$__range])"
    before = "last_over_time(" + s + "[7d] offset $__range)"
    return "sum" + by(group) + " ((" + now + " - " + before + ") or " + now + ")"


def quantile(q, metric, group, model=False):
    return ("histogram_quantile(" + q + ", sum by (le" + (", " + group if group else "") + ") (rate("
            + ev(metric + "_bucket", model=model) + "[$__rate_interval])))")


L.row("API requests and tools (from events)")
L.add(stat("API requests", "API requests Claude Code made in the range (api_request events)." + EVENTS_NOTE,
           zero(ev_exact(API_REQ, model=True)), "short", 0), 4, 4)
L.add(stat("API errors", "API errors in the range (api_error events: a request that failed after its retries; "
           "a retried request that later succeeded is not an error)." + EVENTS_NOTE,
           zero(ev_exact(API_ERR, model=True)), "short", 0, "red"), 4, 4)
L.add(stat("Error rate", "API errors divided by API requests in the range." + EVENTS_NOTE,
           ratio(zero(ev_exact(API_ERR, model=True)), ev_exact(API_REQ, model=True)), "percentunit", 1, "red"), 4, 4)
L.add(stat("Tool success rate", "Successful tool calls divided by all tool calls in the range (tool_result events; "
           "a call the user rejected has no result)." + EVENTS_NOTE,
           ratio(ev_exact(TOOL_CALLS, 'success="true"'), ev_exact(TOOL_CALLS)), "percentunit", 1, "green"), 4, 4)
L.add(stat("Prompts", "User prompts in the range (user_prompt events)." + EVENTS_NOTE,
           zero(ev_exact("claude_code_user_prompts_total")), "short", 0), 4, 4)
L.add(stat("Median prompt length", "Median prompt length in characters over the range." + EVENTS_NOTE,
           "histogram_quantile(0.5, sum by (le) (increase(" + ev(PROMPT_LEN + "_bucket") + "[$__range])))",
           "short", 0), 4, 4)
L.add(timeseries("API latency by model", "p50 and p95 of API request duration, by model." + EVENTS_NOTE,
                 [target(quantile("0.5", API_DUR, "model", True), "A", "p50 {{model}}"),
                  target(quantile("0.95", API_DUR, "model", True), "B", "p95 {{model}}")], "s"), 12, 8)
L.add(timeseries("Time to first token by model", "p50 and p95 of the time to the first streamed token, by model."
                 + EVENTS_NOTE,
                 [target(quantile("0.5", TTFT, "model", True), "A", "p50 {{model}}"),
                  target(quantile("0.95", TTFT, "model", True), "B", "p95 {{model}}")], "s"), 12, 8)
L.add(timeseries("API errors by status code", "API errors per minute, by HTTP status code (empty: network "
                 "errors without a status)." + EVENTS_NOTE,
                 [target("sum by (status_code) (rate(" + ev(API_ERR, model=True) + "[$__rate_interval])) * 60",
                         legend="{{status_code}}")], "short", stack=True), 12, 8)
L.add(bargauge("Tool success rate by tool", "Successful calls divided by all calls in the range, by tool."
               + EVENTS_NOTE, ratio(ev_exact(TOOL_CALLS, 'success="true"', group="tool_name"),
                                    ev_exact(TOOL_CALLS, group="tool_name")),
               "{{tool_name}}", "percentunit", 1, 1), 12, 8)
L.add(timeseries("Tool duration by tool", "p50 and p95 of tool call duration, by tool." + EVENTS_NOTE,
                 [target(quantile("0.5", TOOL_DUR, "tool_name"), "A", "p50 {{tool_name}}"),
                  target(quantile("0.95", TOOL_DUR, "tool_name"), "B", "p95 {{tool_name}}")], "s"), 12, 8)
L.add(table("Tool decisions by tool and source", "Accept and reject decisions in the range, by tool and by where "
            "the decision came from (config, hook, the user...)." + EVENTS_NOTE,
            [("Decisions", ev_exact(TOOL_DEC, group="tool_name, decision, source"), "short", 0)],
            ["tool_name", "decision", "source"], "Decisions"), 12, 8)
L.add(timeseries("Prompt length", "p50 and p95 of prompt length in characters." + EVENTS_NOTE,
                 [target("histogram_quantile(0.5, sum by (le) (rate(" + ev(PROMPT_LEN + "_bucket") + "[$__rate_interval])))",
                         "A", "p50"),
                  target("histogram_quantile(0.95, sum by (le) (rate(" + ev(PROMPT_LEN + "_bucket") + "[$__rate_interval])))",
                         "B", "p95")], "short"), 12, 8)

VARS = [
    query_var("organization", "Organization", "label_values(" + ACTIVE + ", organization_id)",
              "organization.id (present with OAuth login)."),
    query_var("user", "User", 'label_values(' + ACTIVE + '{organization_id=~"$organization"}, user_email)',
              "user.email (present with OAuth login)."),
    query_var("model", "Model", 'label_values(' + TOK + '{organization_id=~"$organization", user_email=~"$user"}, model)',
              "Applies to token, cost and lines-of-code panels; the other metrics carry no model."),
    query_var("session", "Session", 'label_values(' + ACTIVE + '{organization_id=~"$organization", user_email=~"$user"}, session_id)',
              "session.id of sessions active in the time range."),
]

DASHBOARD = dashboard("tally-claude-code", "Claude Code usage",
                      "Claude Code telemetry (OTLP metrics) stored in Tally.", ["claude-code", "tally"],
                      L.panels, VARS)
