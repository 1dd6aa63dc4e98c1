// reports.js: the statutory reports (auditors and admins; docs/reports.md): choose a report, a
// calendar year or two days, and a language; the page asks GET /api/v1/reports/{kind} for the
// JSON and shows its header, figures (each with the requests behind it) and rows, with links
// to the same report as CSV, JSON, a print-ready page and PDF. The server counts; this page
// only shows what it answered, and its errors with the field they name.
import { api, el, frame, say, problemText, formError, clearFormError, ApiError } from './app.js';

const KINDS = [
  ['doj-transfers', 'Transfers to immigration authorities (DOJ report)',
    'Each transfer and the offense or warrant that allowed it: Gov. Code 7284.6(c)(2).'],
  ['releases-without-notice', 'Releases without notice to immigration authorities',
    'Releases of people with a notification request, by why no notice was given.'],
  ['truth-forum', 'TRUTH Act community forum packet',
    'ICE access in the period by mode, requests by type and month, outcomes, actions, notices: Gov. Code 7283.1(d). English or Spanish.'],
  ['task-force', 'Joint task forces (DOJ report)',
    'The agency\'s joint task forces: purpose, member agencies, arrests and arrests for immigration enforcement: Gov. Code 7284.6(c)(1).'],
  ['cpra', 'Records of ICE access (public records bundle)',
    'Every record of ICE access and communication with ICE, personal identifying information redacted, with the redaction log: Gov. Code 7283.1(c).'],
];
// A figure's request ids shown as links up to this many; the downloads have them all.
const MAX_IDS = 60;
const ROLES = ['auditor', 'admin'];

const form = document.getElementById('choose');
const f = form.elements; // by name: form.lang would be the form's own lang attribute
const result = document.getElementById('result');

// The query of the form's choices (format added by the caller).
function query() {
  const q = new URLSearchParams();
  if (f.period.value === 'days') {
    q.set('from', f.from.value);
    q.set('to', f.to.value);
  } else if (f.year.value.trim() !== '') {
    q.set('year', f.year.value.trim());
  }
  if (f.lang.value !== 'en') q.set('lang', f.lang.value);
  return q;
}

function reportUrl(kind, q, format) {
  const p = new URLSearchParams(q);
  if (format) p.set('format', format);
  const s = p.toString();
  return `/api/v1/reports/${encodeURIComponent(kind)}${s ? `?${s}` : ''}`;
}

function showPeriodBoxes() {
  const days = f.period.value === 'days';
  document.getElementById('days-box').hidden = !days;
  document.getElementById('year-box').hidden = days;
}

function showKindHint() {
  const k = KINDS.find(([v]) => v === f.kind.value);
  document.getElementById('kind-hint').textContent = k ? k[2] : '';
}

const requestLink = (id) => el('a', { href: `request.html?id=${id}`, text: `#${id}` });

function idsCell(ids) {
  const shown = ids.slice(0, MAX_IDS);
  const parts = [];
  shown.forEach((id) => parts.push(requestLink(id)));
  if (ids.length > MAX_IDS) parts.push(el('span', { class: 'muted', text: ` … and ${ids.length - MAX_IDS} more: every id is in the JSON and CSV downloads` }));
  return el('td', { class: 'ids' }, ...parts);
}

function figuresTable(r) {
  return el('table', { id: 'figures-table' },
    el('caption', { text: `${r.figures.length} figure${r.figures.length === 1 ? '' : 's'}, each with the requests counted in it` }),
    el('thead', {}, el('tr', {}, ['Figure', 'Group', 'Count', 'Requests'].map((h) => el('th', { scope: 'col', text: h })))),
    el('tbody', {}, r.figures.map((f) => el('tr', { 'data-figure': `${f.group}/${f.key}` },
      el('th', { scope: 'row', text: f.label }), el('td', { text: f.group }),
      el('td', { class: 'count', text: f.count }), idsCell(f.request_ids)))));
}

// A value of a row as text: a record's fields (an object) as "name: value; ...", as in the CSV.
function valueText(v) {
  if (v === true || v === false) return v ? 'yes' : 'no';
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return Object.entries(v).map(([k, x]) => `${k}: ${valueText(x)}`).join('; ');
  return String(v);
}

// A list of objects (the rows; a cpra bundle's redactions) as a table, one column a member.
function listTable(list, id, caption) {
  if (!list.length) return el('p', { text: 'None in this period.' });
  const cols = Object.keys(list[0]);
  const cell = (k, v) => (k === 'request_id' ? el('td', {}, requestLink(v)) : el('td', { text: valueText(v) }));
  return el('table', { id },
    el('caption', { text: caption }),
    el('thead', {}, el('tr', {}, cols.map((h) => el('th', { scope: 'col', text: h.replace(/_/g, ' ') })))),
    el('tbody', {}, list.map((row) => el('tr', {}, cols.map((k) => cell(k, row[k]))))));
}

function rowsTable(r) {
  const parts = [listTable(r.rows, 'rows-table', `${r.rows.length} item${r.rows.length === 1 ? '' : 's'} counted`)];
  if (r.redactions) {
    parts.push(el('h3', { text: 'Redactions' }),
      listTable(r.redactions, 'redactions-table', `${r.redactions.length} redaction${r.redactions.length === 1 ? '' : 's'}: what was replaced, by which placeholder, under which law`));
  }
  return parts;
}

function downloads(kind, q) {
  const items = [
    ['pdf', 'PDF (print-ready, with page numbers)'],
    ['csv', 'CSV (a spreadsheet)'],
    ['json', 'JSON (every figure and id, to recompute or check)'],
  ].map(([f, text]) => el('li', {}, el('a', { href: reportUrl(kind, q, f), download: '', 'data-format': f, text })));
  items.push(el('li', {}, el('a', { href: reportUrl(kind, q, 'html'), target: '_blank', rel: 'noopener', 'data-format': 'html', text: 'Print-ready page (opens in a new tab)' })));
  return items;
}

function show(kind, q, r) {
  const p = r.period;
  document.getElementById('result-h').textContent = r.title;
  document.getElementById('meta').replaceChildren(...[
    ['Report', r.report], ['Definition version', r.definition_version],
    ['Period', `${p.from} to ${p.to} (${p.time_zone})`],
    ['Rulesets of the decisions read', r.rulesets.length ? r.rulesets.join(', ') : 'none'],
    ['Generated', r.generated_at],
    ...(r.redaction ? [['Redaction', r.redaction]] : []),
  ].flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })]));
  document.getElementById('answers').textContent = r.answers;
  document.getElementById('downloads').replaceChildren(...downloads(kind, q));
  document.getElementById('figures').replaceChildren(figuresTable(r));
  document.getElementById('rows').replaceChildren(...rowsTable(r));
  result.hidden = false;
  document.getElementById('result-h').focus();
}

// What an error of the reports API means here.
function reportError(e) {
  if (e instanceof ApiError && e.status === 501) {
    say(`Reports are not available on this server: ${e.message}.`, 'error');
    return;
  }
  if (e instanceof ApiError && e.status === 403) {
    say('Only auditors and administrators may produce the statutory reports.', 'error');
    return;
  }
  formError(form, e);
}

form.addEventListener('change', (ev) => {
  if (ev.target.name === 'period') showPeriodBoxes();
  if (ev.target.name === 'kind') showKindHint();
});

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFormError(form);
  say('');
  const kind = f.kind.value;
  const q = query();
  const btn = form.querySelector('button[type="submit"]');
  btn.disabled = true;
  say('Counting…');
  try {
    const r = await api('GET', reportUrl(kind, q));
    show(kind, q, r);
    say(`${r.title}: ${r.figures.length} figures, ${r.rows.length} items counted.`);
  } catch (e) {
    result.hidden = true;
    reportError(e);
  } finally {
    btn.disabled = false;
  }
});

frame('reports.html').then((me) => {
  if (!ROLES.includes(me.role)) {
    say('Only auditors and administrators may produce the statutory reports. Ask one of them for the report you need.', 'error');
    return;
  }
  f.kind.replaceChildren(...KINDS.map(([v, text]) => el('option', { value: v, text })));
  f.year.value = String(new Date().getFullYear());
  showKindHint();
  showPeriodBoxes();
  form.hidden = false;
}, (e) => say(problemText(e), 'error'));
