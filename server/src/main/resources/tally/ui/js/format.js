// Numbers as people read them: USD, k/M tokens, durations, percentages.

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function money(v) {
  if (v !== 0 && Math.abs(v) < 0.01) return '$' + v.toPrecision(2);
  return usd.format(v);
}

/** 950, 12.3k, 4.56M, 7.8B. */
export function count(v) {
  const a = Math.abs(v);
  if (a >= 1e9) return trim(v / 1e9, a >= 1e11 ? 0 : 2) + 'B';
  if (a >= 1e6) return trim(v / 1e6, a >= 1e8 ? 0 : 2) + 'M';
  if (a >= 1e3) return trim(v / 1e3, a >= 1e5 ? 0 : 1) + 'k';
  if (Number.isInteger(v)) return String(v);
  // increase() extrapolates, so counts come back fractional: whole numbers read better from 100 up
  return trim(v, a >= 100 ? 0 : a >= 10 ? 1 : 2);
}

function trim(v, digits) {
  return v.toFixed(digits).replace(/\.0+$|(\.\d*?)0+$/, '$1');
}

/** 850ms, 12.5s, 4m 12s, 3h 05m, 2d 4h. */
export function duration(sec) {
  if (!isFinite(sec)) return String(sec);
  const a = Math.abs(sec), sign = sec < 0 ? '-' : '';
  if (a === 0) return '0s';
  if (a < 1) return sign + Math.round(a * 1000) + 'ms';
  if (a < 60) return sign + trim(a, 1) + 's';
  const s = Math.round(a);
  const d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60), r = s % 60;
  if (d > 0) return `${sign}${d}d ${h}h`;
  if (h > 0) return `${sign}${h}h ${String(m).padStart(2, '0')}m`;
  return `${sign}${m}m ${String(r).padStart(2, '0')}s`;
}

export function percent(v) {
  return trim(v * 100, 1) + '%';
}

/** A value in a panel's unit: usd, count, seconds, percent, ratio. */
export function value(v, unit) {
  if (v === null || v === undefined) return '–';
  if (Number.isNaN(v)) return 'NaN';
  if (!isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  switch (unit) {
    case 'usd': return money(v);
    case 'seconds': return duration(v);
    case 'percent': return percent(v);
    case 'ratio': return trim(v, 2) + '×';
    default: return count(v);
  }
}

export function dateTime(ms) {
  const d = new Date(ms);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}
