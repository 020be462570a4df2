// The time range of a view, kept in the URL so a link shows the same thing, and the values of Grafana's
// variables for it (the overview runs the Grafana dashboard's own expressions).

export const PRESETS = [['1h', 3600], ['24h', 86400], ['7d', 7 * 86400], ['30d', 30 * 86400]];
const NICE_STEPS = [60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
/** Grafana's datasource scrape interval for Tally and the repo's dashboards (timeInterval: 60s). */
const SCRAPE = 60;

/** The range in the URL: ?range=24h, or ?from=...&to=... (epoch seconds or ISO 8601). Default: 24h. */
export function fromUrl(params = new URLSearchParams(location.search)) {
  const from = parseTime(params.get('from')), to = parseTime(params.get('to'));
  if (from !== null && to !== null && to > from) return { kind: 'absolute', from, to };
  const key = params.get('range');
  const preset = PRESETS.find(([k]) => k === key);
  return preset ? { kind: 'relative', key, seconds: preset[1] } : { kind: 'relative', key: '24h', seconds: 86400 };
}

/** Writes the range into URL parameters (replacing what was there). */
export function toParams(range, params) {
  params.delete('range'); params.delete('from'); params.delete('to');
  if (range.kind === 'relative') params.set('range', range.key);
  else { params.set('from', new Date(range.from * 1000).toISOString()); params.set('to', new Date(range.to * 1000).toISOString()); }
}

/** Epoch seconds from "1733570000", "1733570000.5" or an ISO date; null when absent or unreadable. */
export function parseTime(s) {
  if (!s) return null;
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? null : ms / 1000;
}

/** Start and end in whole epoch seconds (a relative range ends now). */
export function bounds(range, nowMs = Date.now()) {
  if (range.kind === 'absolute') return { start: Math.floor(range.from), end: Math.floor(range.to) };
  const end = Math.floor(nowMs / 1000);
  return { start: end - range.seconds, end };
}

/** About 300 points across a chart, never below the scrape interval, on a step people recognise. */
export function stepFor(seconds) {
  const want = Math.max(SCRAPE, seconds / 300);
  return NICE_STEPS.find((s) => s >= want) || Math.ceil(want / 86400) * 86400;
}

/**
 * Grafana's substitutions (pkg/promlib): $__range in whole seconds, $__interval as Grafana prints it,
 * $__rate_interval = max($__interval + scrape, 4 * scrape) as a Go duration; template variables on All (.*).
 */
export function substitute(expr, vars) {
  return expr.replace(/\$(__rate_interval|__interval|__range|organization|user|session|model)\b/g, (m, name) => {
    switch (name) {
      case '__rate_interval': return goDuration(Math.max(vars.step + SCRAPE, 4 * SCRAPE));
      case '__interval': return grafanaInterval(vars.step);
      case '__range': return vars.rangeSeconds + 's';
      default: return '.*';
    }
  });
}

export function goDuration(s) {
  const h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60), r = s % 60;
  if (h > 0) return `${h}h${m}m${r}s`;
  if (m > 0) return `${m}m${r}s`;
  return `${r}s`;
}

export function grafanaInterval(s) {
  if (s >= 86400) return Math.floor(s / 86400) + 'd';
  if (s >= 3600) return Math.floor(s / 3600) + 'h';
  if (s >= 60) return Math.floor(s / 60) + 'm';
  return s + 's';
}

/** A duration like 1h or 90s in seconds (a panel's minimum interval). */
export function parseDuration(s) {
  const m = /^(\d+)([smhd])$/.exec(s || '');
  return m ? Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2]] : 0;
}
