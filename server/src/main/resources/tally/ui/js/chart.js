// Time series charts with uPlot (loaded from its WebJar as the global `uPlot`).
import { value as fmt } from './format.js';

export const PALETTE = ['#5c7cfa', '#f59f00', '#20c997', '#e64980', '#7950f2', '#fa5252', '#15aabf', '#82c91e',
  '#fd7e14', '#be4bdb', '#339af0', '#51cf66'];

/**
 * Draws series into `el` (replacing what was there) and returns the number of points drawn.
 * @param series [{name, points: [[epochSeconds, number], ...]}]
 */
export function drawChart(el, series, unit, { stacked = false } = {}) {
  if (el._plot) { el._plot.destroy(); el._plot = null; }
  if (el._resize) { el._resize.disconnect(); el._resize = null; }
  el.innerHTML = '';
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  let points = 0;
  const ys = series.map((s) => {
    const y = new Array(xs.length).fill(null);
    for (const [t, v] of s.points) { if (isFinite(v)) { y[index.get(t)] = v; points++; } }
    return y;
  });
  const data = [xs, ...(stacked ? stack(ys) : ys)];
  const width = Math.max(200, el.clientWidth || el.parentElement.clientWidth - 24);
  const opts = {
    width, height: 220,
    scales: { x: { time: true } },
    cursor: { drag: { x: false, y: false } },
    legend: { show: true, live: true },
    axes: [
      { stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,.15)' }, ticks: { stroke: 'rgba(128,128,128,.3)' } },
      { stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,.15)' }, ticks: { stroke: 'rgba(128,128,128,.3)' },
        size: 70, values: (u, vals) => vals.map((v) => fmt(v, unit)) },
    ],
    series: [{ value: (u, v) => (v == null ? '' : new Date(v * 1000).toLocaleString()) }, ...series.map((s, i) => ({
      label: s.name || '{}',
      stroke: PALETTE[i % PALETTE.length],
      fill: stacked ? PALETTE[i % PALETTE.length] + '55' : undefined,
      width: 1.5,
      spanGaps: false,
      points: { show: xs.length < 3 },
      // a stacked series shows its own value in the legend, not the running total it is drawn at
      value: (u, v, si, idx) => (idx == null ? '' : fmt(ys[i][idx], unit)),
    }))],
  };
  el._plot = new uPlot(opts, data, el);
  el._resize = new ResizeObserver(() => {
    const w = el.clientWidth;
    if (el._plot && w > 0 && Math.abs(w - el._plot.width) > 4) el._plot.setSize({ width: w, height: 220 });
  });
  el._resize.observe(el);
  return points;
}

/** Running totals, so stacked areas sit on each other (a gap counts as 0 below a series that has a value). */
function stack(ys) {
  const out = [];
  let below = null;
  for (const y of ys) {
    const s = y.map((v, i) => (v == null ? null : v + (below ? (below[i] || 0) : 0)));
    out.push(s);
    below = s.map((v, i) => (v == null ? (below ? below[i] : null) : v));
  }
  return out;
}

/** {{label}} templates (Grafana's legendFormat) filled from a series' labels. */
export function legend(template, metric) {
  if (!template) {
    const name = metric.__name__ || '';
    const rest = Object.entries(metric).filter(([k]) => k !== '__name__').map(([k, v]) => `${k}="${v}"`).join(', ');
    return rest ? `${name}{${rest}}` : name || '{}';
  }
  return template.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (m, l) => metric[l] ?? '');
}
