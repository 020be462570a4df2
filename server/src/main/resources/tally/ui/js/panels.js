// The overview's panel list (panels.json) with each query's expression taken from the Grafana dashboard that
// ships beside it, so the page and the dashboard answer the same question with the same PromQL.

let loaded = null;

/** {sections: [{title, events, note, panels: [{id, kind, unit, title, queries: [{expr, legend, minStep, column, unit}]}]}]} */
export function loadPanels() {
  if (!loaded) loaded = Promise.all([getJson('ui/panels.json'), getJson('ui/claude-code-usage.json')]).then(([spec, dash]) => resolve(spec, dash));
  return loaded;
}

async function getJson(url) {
  const r = await fetch(url, { credentials: 'same-origin' });
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r.json();
}

function resolve(spec, dashboard) {
  const panels = dashboard.panels.filter((p) => p.type !== 'row');
  for (const section of spec.sections) {
    for (const panel of section.panels) {
      panel.queries = panel.queries.map((q) => {
        if (!q.dash) return q;
        const found = panels.filter((p) => p.title === q.dash && (!q.type || p.type === q.type));
        if (found.length !== 1) throw new Error(`panels.json: ${found.length} dashboard panels titled "${q.dash}"`);
        const target = found[0].targets.find((t) => t.refId === (q.ref || 'A'));
        if (!target) throw new Error(`panels.json: "${q.dash}" has no query ${q.ref}`);
        return { ...q, expr: target.expr, legend: q.legend ?? target.legendFormat, minStep: found[0].interval || target.interval || '' };
      });
    }
  }
  return spec;
}
