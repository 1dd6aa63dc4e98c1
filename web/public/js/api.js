// api.js: the public JSON API (docs/public-api.md). Every call resolves to
//   { ok: true, status, data }  or  { ok: false, status, problem, retryAfter }
// and never throws: a network failure is { ok: false, status: 0 }.
const BASE = '/api/v1/public';

async function call(method, path, body) {
  // cache: 'no-cache' revalidates with the ETag every time (a 304 when nothing changed): a
  // custody status must not be shown from a minute-old copy.
  const init = { method, headers: { Accept: 'application/json' }, credentials: 'omit', cache: 'no-cache' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let r;
  try {
    r = await fetch(BASE + path, init);
  } catch {
    return { ok: false, status: 0, problem: null, retryAfter: null };
  }
  let data = null;
  const ctype = r.headers.get('Content-Type') || '';
  if (/json/.test(ctype)) {
    try { data = await r.json(); } catch { data = null; }
  }
  if (r.ok) return { ok: true, status: r.status, data };
  return { ok: false, status: r.status, problem: data, retryAfter: retryAfter(r.headers.get('Retry-After')) };
}

// Retry-After is either seconds or an HTTP date; answer whole seconds (at least 1), or null.
export function retryAfter(v) {
  if (!v) return null;
  if (/^\d+$/.test(v.trim())) return Math.max(1, parseInt(v, 10));
  const when = Date.parse(v);
  if (Number.isNaN(when)) return null;
  return Math.max(1, Math.ceil((when - Date.now()) / 1000));
}

function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, v);
  const s = u.toString();
  return s ? '?' + s : '';
}

export const api = {
  info: () => call('GET', '/info'),
  status: () => call('GET', '/status'),
  search: (params) => call('GET', '/inmates' + qs(params)),
  inmate: (bookingNo) => call('GET', '/inmates/' + encodeURIComponent(bookingNo)),
  subscribe: (body) => call('POST', '/subscriptions', body),
  confirmCode: (body) => call('POST', '/subscriptions/confirm-code', body),
  confirm: (token) => call('POST', '/subscriptions/confirm/' + encodeURIComponent(token)),
  unsubscribe: (token) => call('POST', '/subscriptions/unsubscribe/' + encodeURIComponent(token)),
};
