// Status views: build information and flags, TSDB status (cardinality), rules and alerts. Each reads one or two
// API endpoints; an endpoint the server does not have (older Prometheus) says so instead of breaking the view.
import { get, ApiError } from './api.js';
import { count as fmtCount, escapeHtml } from './format.js';

async function tryGet(path, params) {
  try {
    return { data: await get(path, params) };
  } catch (e) {
    return { error: e instanceof ApiError && e.status === 404 ? `${path}: not served by this server` : e.message };
  }
}

const kvTable = (obj) => '<table class="data kv"><tbody>' + Object.entries(obj).map(([k, v]) =>
  `<tr><th>${escapeHtml(k)}</th><td data-key="${escapeHtml(k)}"><code>${escapeHtml(typeof v === 'object' ? JSON.stringify(v) : v)}</code></td></tr>`).join('') + '</tbody></table>';

const panel = (id, title, inner) => `<section class="panel" id="${id}"><h3>${escapeHtml(title)}</h3>${inner}</section>`;
const err = (e) => `<div class="error">${escapeHtml(e)}</div>`;

export async function statusPage(view) {
  const [build, runtime, flags] = await Promise.all([tryGet('status/buildinfo'), tryGet('status/runtimeinfo'), tryGet('status/flags')]);
  view.innerHTML = '<div class="grid">'
    + `<div class="panel half" id="buildinfo"><h3>Build information</h3>${build.error ? err(build.error) : kvTable(build.data)}</div>`
    + `<div class="panel half" id="runtimeinfo"><h3>Runtime information</h3>${runtime.error ? err(runtime.error) : kvTable(runtime.data)}</div>`
    + `<div class="panel table" id="flags"><h3>Command-line flags</h3>${flags.error ? err(flags.error) : kvTable(flags.data)}</div>`
    + '</div>';
  view.dataset.state = 'ok';
}

export async function tsdbPage(view) {
  const r = await tryGet('status/tsdb', { limit: 10 });
  if (r.error) { view.innerHTML = panel('tsdb', 'TSDB status', err(r.error)); return; }
  const d = r.data;
  const top = (id, title, rows, col) => `<div class="panel half" id="${id}"><h3>${escapeHtml(title)}</h3>`
    + (rows && rows.length ? '<table class="data"><thead><tr><th>Name</th><th class="num">' + col + '</th></tr></thead><tbody>'
      + rows.map((x) => `<tr><td><code>${escapeHtml(x.name)}</code></td><td class="num" data-value="${x.value}">${escapeHtml(fmtCount(x.value))}</td></tr>`).join('')
      + '</tbody></table>' : '<div class="nodata">none</div>') + '</div>';
  const head = d.headStats || {};
  view.innerHTML = '<div class="grid">'
    + `<div class="panel table" id="head-stats"><h3>Head</h3>${kvTable(Object.fromEntries(Object.entries(head).map(([k, v]) =>
      [k, /Time$/.test(k) && Number(v) > 0 ? `${v} (${new Date(Number(v)).toISOString()})` : v])))}</div>`
    + top('top-metrics', 'Top metrics by series', d.seriesCountByMetricName, 'Series')
    + top('top-labels', 'Top label names by distinct values', d.labelValueCountByLabelName, 'Values')
    + top('top-pairs', 'Top label pairs by series', d.seriesCountByLabelValuePair, 'Series')
    + top('top-memory', 'Label names by memory (bytes)', d.memoryInBytesByLabelName, 'Bytes')
    + '</div>';
  view.dataset.state = 'ok';
}

export async function rulesPage(view) {
  const r = await tryGet('rules');
  if (r.error) { view.innerHTML = panel('rules', 'Rules', err(r.error)); return; }
  const groups = r.data.groups || [];
  if (groups.length === 0) { view.innerHTML = panel('rules', 'Rules', '<div class="nodata">No rule groups are loaded.</div>'); return; }
  view.innerHTML = groups.map((g) => `<section class="panel table" data-group="${escapeHtml(g.name)}"><h3>${escapeHtml(g.name)}</h3>`
    + `<p class="note">${escapeHtml(g.file || '')} · every ${escapeHtml(g.interval ?? '')}s · last evaluation ${escapeHtml(g.lastEvaluation || '–')}</p>`
    + '<table class="data"><thead><tr><th>Rule</th><th>Health</th><th>Last error</th></tr></thead><tbody>'
    + (g.rules || []).map((rule) => `<tr data-rule="${escapeHtml(rule.name)}"><td><code>${escapeHtml(rule.type === 'alerting' ? 'alert: ' : 'record: ')}${escapeHtml(rule.name)}</code><br>`
      + `<code class="muted">${escapeHtml(rule.query)}</code></td><td><span class="badge ${rule.health === 'ok' ? 'ok' : rule.health === 'err' ? 'err' : ''}">${escapeHtml(rule.health)}</span></td>`
      + `<td class="error">${escapeHtml(rule.lastError || '')}</td></tr>`).join('')
    + '</tbody></table></section>').join('');
  view.dataset.state = 'ok';
}

export async function alertsPage(view) {
  const [alerts, rules] = await Promise.all([tryGet('alerts'), tryGet('rules', { type: 'alert' })]);
  if (alerts.error) { view.innerHTML = panel('alerts', 'Alerts', err(alerts.error)); return; }
  const list = alerts.data.alerts || [];
  const alertRules = rules.error ? [] : (rules.data.groups || []).flatMap((g) => g.rules.filter((x) => x.type === 'alerting'));
  view.innerHTML = panel('active-alerts', 'Active alerts', list.length === 0 ? '<div class="nodata">No alerts are pending or firing.</div>'
    : '<table class="data"><thead><tr><th>State</th><th>Labels</th><th>Active since</th><th class="num">Value</th></tr></thead><tbody>'
      + list.map((a) => `<tr><td><span class="badge ${escapeHtml(a.state)}">${escapeHtml(a.state)}</span></td><td><code>${escapeHtml(JSON.stringify(a.labels))}</code></td>`
        + `<td>${escapeHtml(a.activeAt || '')}</td><td class="num">${escapeHtml(a.value ?? '')}</td></tr>`).join('') + '</tbody></table>')
    + panel('alert-rules', 'Alerting rules', alertRules.length === 0 ? '<div class="nodata">No alerting rules are loaded.</div>'
      : '<table class="data"><thead><tr><th>Alert</th><th>State</th><th>Expression</th></tr></thead><tbody>'
        + alertRules.map((x) => `<tr><td>${escapeHtml(x.name)}</td><td><span class="badge ${escapeHtml(x.state || '')}">${escapeHtml(x.state || '')}</span></td>`
          + `<td><code>${escapeHtml(x.query)}</code></td></tr>`).join('') + '</tbody></table>');
  view.dataset.state = 'ok';
}
