// The public Prometheus HTTP API, nothing else: the page works the same against Tally or a Prometheus.
// URLs are relative, so the page also works behind a reverse proxy that adds a path prefix.

/** An answer the API refused: the HTTP status and Prometheus's errorType and error, shown as given. */
export class ApiError extends Error {
  constructor(status, errorType, error) {
    super(errorType ? `${errorType}: ${error}` : error);
    this.status = status;
    this.errorType = errorType;
    this.error = error;
  }
}

/** GET api/v1/<path> with params; resolves to the "data" member of a success answer. */
export async function get(path, params = {}) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (Array.isArray(v)) v.forEach((x) => qs.append(k, x));
    else if (v !== undefined && v !== null) qs.append(k, String(v));
  }
  const url = 'api/v1/' + path + (qs.toString() ? '?' + qs : '');
  let resp;
  try {
    resp = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  } catch (e) {
    throw new ApiError(0, 'unavailable', 'cannot reach the server: ' + e.message);
  }
  const text = await resp.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw new ApiError(resp.status, '', `HTTP ${resp.status}: ${text.trim().slice(0, 300)}`);
  }
  if (body.status !== 'success') throw new ApiError(resp.status, body.errorType || '', body.error || text);
  return body.data;
}

export const query = (expr, time) => get('query', { query: expr, time });
export const queryRange = (expr, start, end, step) => get('query_range', { query: expr, start, end, step });

/** A sample value as the API writes it ("NaN", "+Inf", "1.5") as a number. */
export function num(s) {
  if (s === '+Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  return Number(s);
}

/** Runs async jobs at most `limit` at a time (a browser has 6 connections per host; keep one for the user). */
export function limiter(limit) {
  let running = 0;
  const waiting = [];
  const next = () => {
    if (running >= limit || waiting.length === 0) return;
    running++;
    const { job, resolve, reject } = waiting.shift();
    job().then(resolve, reject).finally(() => { running--; next(); });
  };
  return (job) => new Promise((resolve, reject) => { waiting.push({ job, resolve, reject }); next(); });
}
