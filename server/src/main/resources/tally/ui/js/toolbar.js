// The range picker and auto-refresh in the header. The URL is the state: every change is written back
// with history.replaceState, so copying the address shares the view.
import { PRESETS, fromUrl, toParams, parseTime } from './range.js';

const REFRESH = [['off', 0], ['30s', 30], ['1m', 60], ['5m', 300]];

/**
 * @param onChange called with the range whenever it changes or auto-refresh fires
 * @returns {{range: () => object}}
 */
export function mountToolbar(el, onChange) {
  let range = fromUrl();
  const params = new URLSearchParams(location.search);
  let refresh = REFRESH.find(([k]) => k === params.get('refresh')) ? params.get('refresh') : '1m';
  let timer = null;

  el.innerHTML = '';
  const buttons = PRESETS.map(([key]) => {
    const b = document.createElement('button');
    b.type = 'button'; b.textContent = key; b.dataset.range = key; b.title = 'Last ' + key;
    b.addEventListener('click', () => set({ kind: 'relative', key, seconds: PRESETS.find(([k]) => k === key)[1] }));
    el.append(b);
    return b;
  });
  const customBtn = document.createElement('button');
  customBtn.type = 'button'; customBtn.textContent = 'custom'; customBtn.dataset.range = 'custom';
  const box = document.createElement('span');
  box.className = 'custom';
  box.innerHTML = '<input type="datetime-local" step="1" aria-label="from" data-custom="from"> – '
    + '<input type="datetime-local" step="1" aria-label="to" data-custom="to"> <button type="button" data-custom="apply">apply</button>';
  customBtn.addEventListener('click', () => box.classList.toggle('open'));
  box.querySelector('[data-custom=apply]').addEventListener('click', () => {
    const from = parseTime(box.querySelector('[data-custom=from]').value);
    const to = parseTime(box.querySelector('[data-custom=to]').value);
    if (from !== null && to !== null && to > from) set({ kind: 'absolute', from, to });
  });
  const sel = document.createElement('select');
  sel.title = 'Auto-refresh'; sel.dataset.refresh = '';
  for (const [key] of REFRESH) {
    const o = document.createElement('option');
    o.value = key; o.textContent = key === 'off' ? 'refresh off' : 'every ' + key;
    sel.append(o);
  }
  sel.value = refresh;
  sel.addEventListener('change', () => { refresh = sel.value; writeUrl(); schedule(); });
  el.append(customBtn, box, sel);

  function local(sec) {
    const d = new Date(sec * 1000 - new Date(sec * 1000).getTimezoneOffset() * 60000);
    return d.toISOString().slice(0, 19);
  }

  function paint() {
    buttons.forEach((b) => b.classList.toggle('on', range.kind === 'relative' && b.dataset.range === range.key));
    customBtn.classList.toggle('on', range.kind === 'absolute');
    if (range.kind === 'absolute') {
      box.querySelector('[data-custom=from]').value = local(range.from);
      box.querySelector('[data-custom=to]').value = local(range.to);
    }
    sel.disabled = range.kind === 'absolute'; // a fixed range never changes: nothing to refresh
  }

  function writeUrl() {
    const p = new URLSearchParams(location.search);
    toParams(range, p);
    p.set('refresh', refresh);
    history.replaceState(null, '', location.pathname + '?' + p);
  }

  function schedule() {
    clearInterval(timer);
    timer = null;
    const sec = REFRESH.find(([k]) => k === refresh)[1];
    // a tab in the background skips its refreshes (no queries for nobody); it catches up when shown again
    if (sec > 0 && range.kind === 'relative') timer = setInterval(() => { if (!document.hidden) onChange(range); }, sec * 1000);
  }

  function set(r) {
    range = r;
    box.classList.remove('open');
    writeUrl(); paint(); schedule();
    onChange(range);
  }

  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && timer !== null && range.kind === 'relative') onChange(range);
  });
  paint(); schedule();
  return { range: () => range, set };
}
