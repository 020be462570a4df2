"""Helpers for building Grafana 11 dashboard JSON (schemaVersion 39) with stable ids."""
DS = {"type": "prometheus", "uid": "tally"}


class Layout:
    """Places panels left to right on Grafana's 24-column grid and hands out stable ids."""

    def __init__(self):
        self.panels = []
        self.x = 0
        self.y = 0
        self.row_h = 0
        self.next_id = 1

    def row(self, title):
        self._newline()
        self.panels.append({"type": "row", "title": title, "id": self._id(), "collapsed": False,
                            "gridPos": {"h": 1, "w": 24, "x": 0, "y": self.y}, "panels": []})
        self.y += 1

    def add(self, panel, w, h):
        if self.x + w > 24:
            self._newline()
        panel["id"] = self._id()
        panel["gridPos"] = {"h": h, "w": w, "x": self.x, "y": self.y}
        self.x += w
        self.row_h = max(self.row_h, h)
        self.panels.append(panel)

    def _newline(self):
        self.y += self.row_h
        self.x = 0
        self.row_h = 0

    def _id(self):
        i = self.next_id
        self.next_id += 1
        return i


def target(expr, ref="A", legend="__auto", instant=False, table=False, interval=None):
    t = {"datasource": DS, "editorMode": "code", "expr": expr, "refId": ref, "legendFormat": legend,
         "range": not instant, "instant": instant}
    if table:
        t["format"] = "table"
    if interval:
        t["interval"] = interval
    return t


def base(kind, title, description, targets, unit=None, decimals=None, min_=None, max_=None):
    defaults = {}
    if unit:
        defaults["unit"] = unit
    if decimals is not None:
        defaults["decimals"] = decimals
    if min_ is not None:
        defaults["min"] = min_
    if max_ is not None:
        defaults["max"] = max_
    return {"type": kind, "title": title, "description": description, "datasource": DS,
            "targets": targets, "fieldConfig": {"defaults": defaults, "overrides": []}, "options": {}}


def stat(title, description, expr, unit=None, decimals=None, color="blue"):
    p = base("stat", title, description, [target(expr, instant=True)], unit, decimals)
    p["fieldConfig"]["defaults"]["color"] = {"mode": "fixed", "fixedColor": color}
    p["options"] = {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                    "colorMode": "value", "graphMode": "none", "textMode": "value", "justifyMode": "auto",
                    "orientation": "auto", "wideLayout": True, "showPercentChange": False}
    return p


def timeseries(title, description, targets, unit=None, stack=False, bars=False, decimals=None):
    p = base("timeseries", title, description, targets, unit, decimals)
    custom = {"drawStyle": "bars" if bars else "line", "lineWidth": 1, "fillOpacity": 60 if bars or stack else 10,
              "showPoints": "never", "spanNulls": False, "axisSoftMin": 0,
              "stacking": {"mode": "normal" if stack else "none", "group": "A"}}
    p["fieldConfig"]["defaults"]["custom"] = custom
    p["fieldConfig"]["defaults"]["color"] = {"mode": "palette-classic"}
    p["options"] = {"legend": {"displayMode": "table", "placement": "bottom", "showLegend": True,
                               "calcs": ["mean", "max"]},
                    "tooltip": {"mode": "multi", "sort": "desc"}}
    return p


def bargauge(title, description, expr, legend, unit=None, decimals=None, max_=None):
    p = base("bargauge", title, description, [target(expr, legend=legend, instant=True)], unit, decimals, 0, max_)
    p["fieldConfig"]["defaults"]["color"] = {"mode": "continuous-BlPu"}
    p["options"] = {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                    "orientation": "horizontal", "displayMode": "gradient", "showUnfilled": True,
                    "valueMode": "color", "namePlacement": "auto", "sizing": "auto", "minVizHeight": 16, "maxVizHeight": 300}
    return p


def piechart(title, description, expr, legend, unit=None):
    p = base("piechart", title, description, [target(expr, legend=legend, instant=True)], unit)
    p["fieldConfig"]["defaults"]["color"] = {"mode": "palette-classic"}
    p["options"] = {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                    "pieType": "donut", "legend": {"displayMode": "table", "placement": "right", "showLegend": True,
                                                   "values": ["value", "percent"]},
                    "tooltip": {"mode": "single", "sort": "none"}}
    return p


def table(title, description, columns, keys, sort_by):
    """columns: list of (display name, expr, unit, decimals); keys: label columns to keep, in order."""
    targets = []
    overrides = []
    rename = {}
    for i, (name, expr, unit, decimals) in enumerate(columns):
        ref = chr(ord("A") + i)
        targets.append(target(expr, ref=ref, instant=True, table=True))
        props = [{"id": "displayName", "value": name}]
        if unit:
            props.append({"id": "unit", "value": unit})
        if decimals is not None:
            props.append({"id": "decimals", "value": decimals})
        overrides.append({"matcher": {"id": "byName", "options": "Value #" + ref}, "properties": props})
    index = {k: i for i, k in enumerate(keys)}
    for i in range(len(columns)):
        index["Value #" + chr(ord("A") + i)] = len(keys) + i
    p = base("table", title, description, targets)
    p["fieldConfig"]["overrides"] = overrides
    p["fieldConfig"]["defaults"]["custom"] = {"align": "auto", "filterable": True, "cellOptions": {"type": "auto"}}
    p["options"] = {"showHeader": True, "cellHeight": "sm", "footer": {"show": False, "reducer": ["sum"], "fields": ""},
                    "sortBy": [{"displayName": sort_by, "desc": True}]}
    # merge joins the instant tables on their label columns; organize hides Time and orders columns
    p["transformations"] = [
        {"id": "merge", "options": {}},
        {"id": "organize", "options": {"excludeByName": {"Time": True}, "indexByName": index, "renameByName": rename}},
    ]
    return p


def query_var(name, label, query, description):
    return {"name": name, "label": label, "description": description, "type": "query", "datasource": DS,
            "definition": query, "query": query, "refresh": 2, "regex": "", "sort": 1,
            "includeAll": True, "multi": True, "allValue": ".*",
            "current": {"selected": True, "text": ["All"], "value": ["$__all"]}, "options": [], "hide": 0,
            "skipUrlSync": False}


def dashboard(uid, title, description, tags, panels, variables, time_from="now-24h", refresh="1m"):
    return {
        "uid": uid, "title": title, "description": description, "tags": tags,
        "schemaVersion": 39, "version": 1, "editable": True, "graphTooltip": 1,
        "fiscalYearStartMonth": 0, "liveNow": False, "timezone": "browser",
        "time": {"from": time_from, "to": "now"}, "refresh": refresh,
        "timepicker": {"refresh_intervals": ["1m", "5m", "15m", "1h"]},
        "annotations": {"list": [{"builtIn": 1, "datasource": {"type": "grafana", "uid": "-- Grafana --"},
                                  "enable": True, "hide": True, "iconColor": "rgba(0, 211, 255, 1)",
                                  "name": "Annotations & Alerts", "type": "dashboard"}]},
        "links": [], "templating": {"list": variables}, "panels": panels,
    }
