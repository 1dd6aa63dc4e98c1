// app.js: what every console page shares: the API client (session cookie, CSRF header,
// problem+json errors), the signed-in user, the page frame (skip link, banner, navigation,
// status region) and small DOM helpers. No framework, no build step; every page is an ES
// module loaded with <script type="module" src=...> (the CSP allows no inline script).

export const LANGS = [
  { code: 'en', name: 'English' },
  { code: 'es', name: 'Español' },
  { code: 'zh', name: '中文', tag: 'zh-Hant' },
  { code: 'tl', name: 'Tagalog' },
  { code: 'vi', name: 'Tiếng Việt' },
  { code: 'ko', name: '한국어' },
];

export const REQUEST_TYPES = [
  ['hold', 'Hold (detainer)'],
  ['notification', 'Notification of release'],
  ['transfer', 'Transfer to immigration custody'],
  ['interview', 'Interview'],
  ['personal_info', 'Personal information'],
  ['criminal_history', 'Criminal history'],
  ['status_inquiry', 'Immigration status inquiry'],
  ['civil_warrant_arrest', 'Arrest on a civil immigration warrant'],
  ['immigration_officer_functions', 'Perform immigration officer functions'],
  ['border_search', 'Border search assistance'],
  ['interpreter', 'Interpreter for immigration agents'],
  ['office_space', 'Office space in the jail'],
  ['detention_contract', 'Immigration detention contract'],
  ['status_information_exchange', 'Exchange of status information'],
  ['visa_certification', 'Visa certification (U or T)'],
];

export const OUTCOME_TEXT = {
  permitted: 'Permitted',
  permitted_with_conditions: 'Permitted with conditions',
  review: 'Needs review',
  prohibited: 'Prohibited',
};

export const typeName = (t) => (REQUEST_TYPES.find(([k]) => k === t) || [t, t])[1];

// An error from the API: status and the problem's detail and field.
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || `HTTP ${status}`);
    this.status = status;
    this.field = problem?.field || null;
    this.problem = problem || {}; // the whole problem: a 409 names the request it repeats
  }
}

// Calls the API with the session cookie. Writes carry X-Requested-With (the server's CSRF check
// for cookie sessions). Resolves to the parsed JSON; rejects with ApiError.
export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin' };
  if (method !== 'GET') headers['X-Requested-With'] = 'holdcheck-console';
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const r = await fetch(path, init);
  const text = await r.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!r.ok) {
    if (r.status === 401 && !path.endsWith('/session')) {
      location.assign('index.html?next=' + encodeURIComponent(location.pathname.split('/').pop() + location.search));
    }
    throw new ApiError(r.status, json);
  }
  return json;
}

// Element builder: el('p', {class: 'x', text: 'hi'}, child, ...). Attributes named on* are
// never set (no inline handlers); text is always set as text, never as HTML.
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'text') e.textContent = v;
    else if (k === 'class') e.className = v;
    else if (k.startsWith('on')) throw new Error('no inline handlers');
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

// A time as the reader's local date and time (the original text when it does not parse).
export function when(s) {
  if (!s) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return s;
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return s;
  return d.toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' });
}

// <input type="datetime-local"> value -> "YYYY-MM-DDTHH:MM:SS+hh:mm" in the browser's zone.
export function localToApi(v) {
  if (!v) return null;
  const d = new Date(v);
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const a = Math.abs(off);
  const pad = (n) => String(n).padStart(2, '0');
  return `${v.length === 16 ? v + ':00' : v}${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

// Now as a datetime-local value.
export function nowLocal() {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

// Shows a message in the page's status region (polite) or, for errors, its alert region.
export function say(msg, kind = 'ok') {
  const ok = document.getElementById('status');
  const err = document.getElementById('alert');
  if (kind === 'error') {
    err.textContent = msg;
    ok.textContent = '';
  } else {
    ok.textContent = msg;
    err.textContent = '';
  }
}

// The message of an API error, naming the field when there is one.
export function problemText(e) {
  if (!(e instanceof ApiError)) return String(e.message || e);
  return e.field ? `${e.message} (field: ${e.field})` : e.message;
}

// Shows an error next to a form (role="alert" region inside it) and marks the field.
export function formError(form, e) {
  const box = form.querySelector(':scope > .form-error');
  const msg = problemText(e);
  if (box) box.textContent = msg; else say(msg, 'error');
  form.querySelectorAll('[aria-invalid]').forEach((i) => i.removeAttribute('aria-invalid'));
  if (e instanceof ApiError && e.field) {
    const f = form.querySelector(`[name="${CSS.escape(e.field)}"]`);
    if (f) { f.setAttribute('aria-invalid', 'true'); f.focus(); }
  }
}

export function clearFormError(form) {
  const box = form.querySelector(':scope > .form-error');
  if (box) box.textContent = '';
  form.querySelectorAll('[aria-invalid]').forEach((i) => i.removeAttribute('aria-invalid'));
}

// The navigation: each page, its link's text, and the roles it is shown to (every role when
// there is no list; the server refuses the others anyway).
const NAV = [
  ['queue.html', 'Queue'],
  ['intake.html', 'Record a request'],
  ['bookings.html', 'Bookings'],
  ['victims.html', 'Victim notification'],
  ['reports.html', 'Reports', ['auditor', 'admin']],
  ['settings.html', 'Agency settings', ['admin']],
  ['publication.html', 'Public portal', ['admin']],
];

// Checks the session and fills the banner (user, role, sign out) and navigation. Resolves to
// {name, role}; sends the reader to the sign-in page when there is no session.
export async function frame(current) {
  let me;
  try {
    me = await api('GET', '/api/v1/session');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return new Promise(() => {});
    throw e;
  }
  const nav = document.getElementById('nav');
  const ul = el('ul');
  for (const [href, label, roles] of NAV) {
    if (roles && !roles.includes(me.role)) continue;
    const a = el('a', { href, text: label });
    if (href === current) a.setAttribute('aria-current', 'page');
    ul.append(el('li', {}, a));
  }
  nav.replaceChildren(ul);
  const who = document.getElementById('who');
  const out = el('button', { type: 'button', class: 'link', text: 'Sign out' });
  out.addEventListener('click', async () => {
    try { await api('DELETE', '/api/v1/session'); } finally { location.assign('index.html'); }
  });
  who.replaceChildren(el('span', { text: `Signed in as ${me.name} (${me.role})` }), ' ', out);
  document.body.dataset.role = me.role;
  return me;
}

// The page's ?name= parameter as a positive integer, or null.
export function idParam(name = 'id') {
  const v = new URLSearchParams(location.search).get(name);
  return v && /^[1-9]\d{0,17}$/.test(v) ? v : null;
}

export function outcomeBadge(o) {
  return el('span', { class: `badge outcome-${o || 'none'}`, text: OUTCOME_TEXT[o] || 'Not decided' });
}

// A request's outcome in force (q.outcome: the newest decision's, or the override in force),
// the engine's own beside it when an override changed it, and a flag when an action recorded
// about the request went against the outcome in force.
export function outcomeInForce(q) {
  const parts = [outcomeBadge(q.outcome)];
  if (q.engine_outcome && q.engine_outcome !== q.outcome) {
    parts.push(' ', el('span', { class: 'engine-outcome', text: `overridden; the engine's outcome: ${OUTCOME_TEXT[q.engine_outcome] || q.engine_outcome}` }));
  }
  if (q.contrary) {
    const n = q.contrary_actions;
    parts.push(' ', el('strong', { class: 'flag contrary', text: `${n} action${n === 1 ? '' : 's'} contrary to it` }));
  }
  return el('span', { class: 'outcome-in-force' }, ...parts);
}
