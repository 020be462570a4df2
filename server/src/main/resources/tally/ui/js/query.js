// "/query": any PromQL as a graph (range query) and a table (instant query at the range's end).
// The expression and the range live in the URL, so the address is a link to the result.
import { query, queryRange, num } from './api.js';
import { escapeHtml } from './format.js';
import { bounds, stepFor } from './range.js';
import { drawChart, legend } from './chart.js';

export function queryPage(view) {
  const params = new URLSearchParams(location.search);
  view.innerHTML = `<form class="qform" id="qform">
  <textarea id="expr" name="expr" spellcheck="false" placeholder="PromQL, e.g. sum by (model) (rate(claude_code_token_usage_tokens_total[5m]))"></textarea>
  <div class="row"><button type="submit" class="primary" id="run">Execute</button>
  <span class="muted">Ctrl+Enter runs it. The graph is a range query over the picked range; the table is an instant query at its end.</span></div>
</form>
<div id="query-error" class="error" hidden></div>
<section class="panel" id="graph-panel"><h3>Graph</h3><div id="graph" class="chartbox"></div><p class="timing" id="graph-info"></p></section>
<section class="panel" id="table-panel"><h3>Table</h3><div id="table" class="scroll"></div><p class="timing" id="table-info"></p></section>`;
  const exprEl = view.querySelector('#expr');
  exprEl.value = params.get('expr') || '';
  let current = null;
  let generation = 0;

  view.querySelector('#qform').addEventListener('submit', (e) => { e.preventDefault(); run(current); });
  exprEl.addEventListener('keydown', (e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run(current); } });

  async function run(range) {
    current = range;
    const expr = exprEl.value.trim();
    const p = new URLSearchParams(location.search);
    if (expr) p.set('expr', expr); else p.delete('expr');
    history.replaceState(null, '', location.pathname + '?' + p);
    const errEl = view.querySelector('#query-error');
    if (!expr) return;
    const gen = ++generation;
    const { start, end } = bounds(range);
    const step = stepFor(end - start);
    view.dataset.state = 'loading';
    const t0 = performance.now();
    const [inst, rng] = await Promise.allSettled([query(expr, end), queryRange(expr, Math.floor(start / step) * step, end, step)]);
    if (gen !== generation) return;
    const ms = Math.round(performance.now() - t0);
    const failed = [inst, rng].find((a) => a.status === 'rejected');
    // a range query refuses strings and some expressions an instant query takes: show the table alone then
    if (inst.status === 'rejected') {
      errEl.hidden = false;
      errEl.textContent = failed.reason.message;
      errEl.dataset.status = String(failed.reason.status);
      view.querySelector('#graph').innerHTML = '';
      view.querySelector('#table').innerHTML = '';
      view.dataset.state = 'error';
      return;
    }
    errEl.hidden = true;
    errEl.textContent = '';
    renderTable(view.querySelector('#table'), inst.value);
    view.querySelector('#table-info').textContent = `instant query at ${new Date(end * 1000).toLocaleString()} · ${ms} ms`;
    const graph = view.querySelector('#graph');
    if (rng.status === 'rejected') {
      graph.innerHTML = `<div class="error">${escapeHtml(rng.reason.message)}</div>`;
    } else {
      const series = (rng.value.result || []).map((s) => ({ name: legend('', s.metric), points: s.values.map(([t, v]) => [t, num(v)]) }));
      if (series.length === 0) { graph.innerHTML = '<div class="nodata">no data</div>'; graph.dataset.series = '0'; }
      else { graph.dataset.points = String(drawChart(graph, series, 'count')); graph.dataset.series = String(series.length); }
      view.querySelector('#graph-info').textContent = `range query, step ${step}s, ${series.length} series`;
    }
    view.dataset.state = 'ok';
  }

  return (range) => { current = range; if (exprEl.value.trim()) run(range); };
}

function renderTable(el, data) {
  let rows;
  switch (data.resultType) {
    case 'scalar': case 'string':
      rows = [['scalar' === data.resultType ? 'scalar' : 'string', data.result[1]]]; break;
    case 'vector':
      rows = data.result.map((s) => [legend('', s.metric), s.value[1]]); break;
    case 'matrix':
      rows = data.result.map((s) => [legend('', s.metric), s.values.map(([t, v]) => `${v} @${t}`).join('\n')]); break;
    default:
      rows = [];
  }
  el.dataset.rows = String(rows.length);
  if (rows.length === 0) { el.innerHTML = '<div class="nodata">no data</div>'; return; }
  el.innerHTML = '<table class="data"><thead><tr><th>Series</th><th class="num">Value</th></tr></thead><tbody>'
    + rows.map(([k, v]) => `<tr><td><code>${escapeHtml(k)}</code></td><td class="num" data-value="${escapeHtml(v)}" title="${escapeHtml(v)}">`
      + `${escapeHtml(v)}</td></tr>`).join('') + '</tbody></table>';
}

