// "/": Claude Code usage. Panels are laid out at once from panels.json (first paint), then filled as each
// query answers. Every panel carries its queries in data-queries and its numbers in data-value attributes,
// which is also what the browser tests compare with the API.
import { get, query, queryRange, num, limiter } from './api.js';
import { value as fmt, escapeHtml } from './format.js';
import { bounds, stepFor, substitute, parseDuration } from './range.js';
import { drawChart, legend } from './chart.js';
import { loadPanels } from './panels.js';

const EVENT_METRICS = ['claude_code_api_requests_total', 'claude_code_tool_calls_total', 'claude_code_user_prompts_total'];

export async function overview(view) {
  view.innerHTML = '<div id="overview"></div><p class="timing" id="timing"></p>';
  const root = view.querySelector('#overview');
  const spec = await loadPanels();
  const els = layout(root, spec);
  let generation = 0;
  let names = null;

  async function refresh(range) {
    const gen = ++generation;
    const t0 = performance.now();
    // The metric names decide the empty state and whether the events section applies. They are asked for alongside
    // the panels' queries, not before them: no round trip is added to a load (a hidden panel's answers are dropped).
    const namesDone = get('label/__name__/values').then((n) => { names = new Set(n); }, () => { names = names || new Set(); })
      .then(() => {
        if (gen !== generation) return;
        const hasClaude = [...names].some((n) => n.startsWith('claude_code_'));
        const hasEvents = EVENT_METRICS.some((n) => names.has(n));
        root.querySelector('#empty').hidden = hasClaude;
        if (!hasClaude) showOtlpAddress(root.querySelector('#export-lines'));
        root.querySelectorAll('[data-section]').forEach((s) => { s.hidden = !hasClaude || (s.dataset.events === 'true' && !hasEvents); });
        root.querySelector('#no-events').hidden = !hasClaude || hasEvents;
      });

    const { start, end } = bounds(range);
    const run = limiter(5);
    // panels that ask the same question (a table column and a bar chart) share one request
    const asked = new Map();
    const ask = (r) => {
      const key = JSON.stringify([r.expr, r.time, r.start, r.end, r.step]);
      if (!asked.has(key)) asked.set(key, run(() => send(r)));
      return asked.get(key);
    };
    const jobs = [namesDone];
    for (const section of spec.sections) {
      for (const panel of section.panels) {
        const el = els.get(panel.id);
        el.dataset.state = 'loading';
        const requests = panel.queries.map((q) => request(panel, q, start, end));
        el.dataset.queries = JSON.stringify(requests);
        jobs.push(Promise.allSettled(requests.map(ask)).then((answers) => {
          if (gen === generation) render(el, panel, answers);
        }));
      }
    }
    await Promise.all(jobs);
    if (gen !== generation) return;
    const ms = Math.round(performance.now() - t0);
    const timing = view.querySelector('#timing');
    timing.textContent = `${asked.size + 1} requests in ${ms} ms · ${new Date().toLocaleTimeString()}`;
    timing.dataset.ms = String(ms);
    root.dataset.loaded = String(gen);
  }

  return refresh;
}

/** The export lines name this server's OTLP port when the flags say it is not the default (Tally's flags only). */
async function showOtlpAddress(pre) {
  try {
    const addr = (await get('status/flags'))['otlp.listen-address'];
    const m = /^(.*):(\d+)$/.exec(addr || '');
    if (!m || m[2] === '0') return; // no address, or an ephemeral port the flags cannot tell
    const host = ['', '0.0.0.0', '[::]', '::'].includes(m[1]) ? '127.0.0.1' : m[1];
    pre.textContent = pre.textContent.replaceAll('127.0.0.1:4318', `${host}:${m[2]}`);
  } catch (e) {
    // a server without the flags endpoint: the defaults stand
  }
}

/** What is sent for one query: instant at the end of the range for numbers, a range query for charts. */
function request(panel, q, start, end) {
  const rangeSeconds = end - start;
  if (panel.kind === 'chart') {
    const step = Math.max(stepFor(rangeSeconds), parseDuration(q.minStep));
    const expr = substitute(q.expr, { step, rangeSeconds });
    return { expr, start: Math.floor(start / step) * step, end, step, legend: q.legend || '' };
  }
  const expr = substitute(q.expr, { step: stepFor(rangeSeconds), rangeSeconds });
  return { expr, time: end, legend: q.legend || '' };
}

function send(r) {
  return r.step ? queryRange(r.expr, r.start, r.end, r.step) : query(r.expr, r.time);
}

function layout(root, spec) {
  const els = new Map();
  root.innerHTML = `<div id="empty" class="empty-state" hidden>
  <h3>No Claude Code data yet</h3>
  <p>Tally has not received any Claude Code telemetry. Point Claude Code at it, from the Tally folder:</p>
  <pre>./tally setup-claude</pre>
  <p>It writes the telemetry settings into <code>~/.claude/settings.json</code> (a backup is kept). Or set them in
  your shell instead (<code>./tally setup-claude --shell</code> prints them):</p>
  <pre id="export-lines">export CLAUDE_CODE_ENABLE_TELEMETRY=1
export OTEL_METRICS_EXPORTER=otlp
export OTEL_EXPORTER_OTLP_METRICS_PROTOCOL=http/protobuf
export OTEL_EXPORTER_OTLP_METRICS_ENDPOINT=http://127.0.0.1:4318/v1/metrics
export OTEL_LOGS_EXPORTER=otlp
export OTEL_EXPORTER_OTLP_LOGS_PROTOCOL=http/protobuf
export OTEL_EXPORTER_OTLP_LOGS_ENDPOINT=http://127.0.0.1:4318/v1/logs</pre>
  <p>Then start a new Claude Code session: its first numbers arrive within a minute and this page shows them.</p>
</div>
<p id="no-events" class="note" hidden>API latency, errors and tool panels need Claude Code's events:
set <code>OTEL_LOGS_EXPORTER=otlp</code> (<code>./tally setup-claude</code> does).</p>`;
  for (const section of spec.sections) {
    const s = document.createElement('section');
    s.dataset.section = section.title;
    s.dataset.events = String(!!section.events);
    s.hidden = !!section.events;
    s.innerHTML = `<h2>${escapeHtml(section.title)}</h2>` + (section.note ? `<p class="note">${escapeHtml(section.note)}</p>` : '');
    const grid = document.createElement('div');
    grid.className = 'grid';
    for (const panel of section.panels) {
      const el = document.createElement('div');
      el.className = `panel ${panel.kind}`;
      el.dataset.panel = panel.id;
      el.dataset.kind = panel.kind;
      el.dataset.state = 'loading';
      el.innerHTML = `<h3>${escapeHtml(panel.title)}</h3>` + (panel.desc ? `<p class="desc">${escapeHtml(panel.desc)}</p>` : '')
        + `<div class="body">${panel.kind === 'stat' ? '<div class="skeleton"></div>' : '<div class="skeleton"></div><div class="skeleton"></div>'}</div>`;
      grid.append(el);
      els.set(panel.id, el);
    }
    s.append(grid);
    root.append(s);
  }
  root.querySelector('#empty').hidden = true;
  return els;
}

function render(el, panel, answers) {
  const body = el.querySelector('.body');
  const failed = answers.find((a) => a.status === 'rejected');
  if (failed) {
    el.dataset.state = 'error';
    body.innerHTML = `<div class="error">${escapeHtml(failed.reason.message)}</div>`;
    return;
  }
  const data = answers.map((a) => a.value);
  const requests = JSON.parse(el.dataset.queries);
  let has;
  switch (panel.kind) {
    case 'stat': has = renderStat(body, panel, data[0]); break;
    case 'bars': has = renderBars(body, panel, data[0], requests[0].legend); break;
    case 'table': has = renderTable(body, panel, data); break;
    default: has = renderChart(body, panel, data, requests); break;
  }
  el.dataset.state = has ? 'ok' : 'empty';
}

/** Instant results as [{metric, value}] (a scalar is one unlabelled sample). */
function samples(data) {
  if (data.resultType === 'scalar') return [{ metric: {}, value: num(data.result[1]) }];
  if (data.resultType !== 'vector') return [];
  return data.result.map((s) => ({ metric: s.metric, value: num(s.value[1]) }));
}

function renderStat(body, panel, data) {
  const s = samples(data);
  if (s.length === 0) { body.innerHTML = '<div class="value nodata" data-value="">no data</div>'; return false; }
  const v = s[0].value;
  body.innerHTML = `<div class="value" data-value="${v}">${escapeHtml(fmt(v, panel.unit))}</div>`;
  return true;
}

function renderBars(body, panel, data, template) {
  const s = samples(data).filter((x) => !Number.isNaN(x.value)).sort((a, b) => b.value - a.value);
  if (s.length === 0) { body.innerHTML = '<div class="nodata">no data</div>'; return false; }
  const max = Math.max(...s.map((x) => Math.abs(x.value)), panel.unit === 'percent' ? 1 : 0) || 1;
  body.innerHTML = s.map((x) => {
    const label = legend(template, x.metric) || '(none)';
    const w = Math.max(0, Math.min(100, Math.abs(x.value) / max * 100));
    return `<div class="bar-row" data-label="${escapeHtml(label)}" data-value="${x.value}"><span class="label" title="${escapeHtml(label)}">${escapeHtml(label)}</span>`
      + `<span class="track"><span class="fill" data-w="${w.toFixed(1)}"></span></span><span class="num">${escapeHtml(fmt(x.value, panel.unit))}</span></div>`;
  }).join('');
  // widths set through the DOM, not a style attribute: a Content-Security-Policy from the web config may forbid those
  body.querySelectorAll('.fill').forEach((f) => { f.style.display = 'block'; f.style.width = f.dataset.w + '%'; });
  return true;
}

function renderTable(body, panel, data) {
  const rows = new Map();
  panel.queries.forEach((q, i) => {
    for (const x of samples(data[i])) {
      const key = panel.labels.map((l) => x.metric[l] ?? '').join('\u0000');
      if (!rows.has(key)) rows.set(key, { labels: panel.labels.map((l) => x.metric[l] ?? ''), values: [] });
      rows.get(key).values[i] = x.value;
    }
  });
  if (rows.size === 0) { body.innerHTML = '<div class="nodata">no data</div>'; return false; }
  const sortCol = Math.max(0, panel.queries.findIndex((q) => q.column === panel.sortBy));
  const sorted = [...rows.values()].sort((a, b) => (b.values[sortCol] ?? -Infinity) - (a.values[sortCol] ?? -Infinity));
  const head = panel.labels.map((l) => `<th>${escapeHtml(l)}</th>`).join('')
    + panel.queries.map((q) => `<th class="num">${escapeHtml(q.column)}</th>`).join('');
  const trs = sorted.map((r) => '<tr data-key="' + escapeHtml(r.labels.join('|')) + '">'
    + r.labels.map((l) => `<td>${escapeHtml(l || '–')}</td>`).join('')
    + panel.queries.map((q, i) => {
      const v = r.values[i];
      return v === undefined ? '<td class="num" data-value="">–</td>'
        : `<td class="num" data-value="${v}">${escapeHtml(fmt(v, q.unit))}</td>`;
    }).join('') + '</tr>').join('');
  body.innerHTML = `<div class="scroll"><table class="data"><thead><tr>${head}</tr></thead><tbody>${trs}</tbody></table></div>`;
  return true;
}

function renderChart(body, panel, data, requests) {
  const series = [];
  data.forEach((d, i) => {
    for (const s of d.result || []) {
      series.push({ name: legend(requests[i].legend, s.metric), points: s.values.map(([t, v]) => [t, num(v)]) });
    }
  });
  if (series.length === 0) {
    if (body._chart) body._chart = null;
    body.innerHTML = '<div class="nodata">no data</div>';
    return false;
  }
  let box = body.querySelector('.chartbox');
  if (!box) { body.innerHTML = '<div class="chartbox"></div>'; box = body.querySelector('.chartbox'); }
  const points = drawChart(box, series, panel.unit, { stacked: !!panel.stacked });
  body.dataset.series = String(series.length);
  body.dataset.points = String(points);
  return points > 0;
}

