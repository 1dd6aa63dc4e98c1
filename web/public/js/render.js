// render.js: turns whatever published fields the API returns into DOM. It knows how to label and
// format the fields it has heard of and still shows any other field it is given, so the page
// follows the agency's publication policy without assuming which fields are on.
import { t, tt, lang } from './i18n.js';

// California jails: times are shown in Pacific time whatever the reader's time zone.
const TZ = 'America/Los_Angeles';
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

export function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  if (attrs) for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') e.textContent = v;
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

export function humanize(key) {
  const s = String(key).replace(/[_-]+/g, ' ').trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function fieldLabel(key) {
  return t('field.' + key) ?? humanize(key);
}

export function formatDate(s) {
  const [y, m, d] = s.split('-').map(Number);
  return new Intl.DateTimeFormat(lang(), { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

export function formatDateTime(s) {
  const ms = Date.parse(/Z|[+-]\d{2}:?\d{2}$/.test(s) ? s : s.replace(' ', 'T'));
  if (Number.isNaN(ms)) return s;
  return new Intl.DateTimeFormat(lang(), { dateStyle: 'long', timeStyle: 'short', timeZone: TZ }).format(new Date(ms));
}

// "3 hours ago" / "hace 3 horas".
export function relativeTime(s) {
  const ms = Date.parse(s);
  if (Number.isNaN(ms)) return null;
  const sec = Math.round((ms - Date.now()) / 1000);
  const rtf = new Intl.RelativeTimeFormat(lang(), { numeric: 'auto' });
  const abs = Math.abs(sec);
  if (abs < 60) return rtf.format(sec, 'second');
  if (abs < 3600) return rtf.format(Math.round(sec / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(sec / 3600), 'hour');
  return rtf.format(Math.round(sec / 86400), 'day');
}

function isMoneyKey(key) { return /bail|amount|bond/i.test(key); }

// One value as text, or a node for lists and records.
export function formatValue(key, v) {
  if (v === null || v === undefined || v === '') return tt('value.none');
  if (typeof v === 'boolean') return tt(v ? 'value.yes' : 'value.no');
  if (typeof v === 'number') {
    if (isMoneyKey(key)) return new Intl.NumberFormat(lang(), { style: 'currency', currency: 'USD' }).format(v);
    return new Intl.NumberFormat(lang()).format(v);
  }
  if (typeof v === 'string') {
    const known = t(`value.${key}.${v}`) ?? t(`value.${v}`);
    if (known !== null) return known;
    if (DATE_RE.test(v)) return formatDate(v);
    if (DATETIME_RE.test(v)) return formatDateTime(v);
    return v;
  }
  if (Array.isArray(v)) {
    if (v.length === 0) return tt('value.none_listed');
    const ul = el('ul');
    for (const item of v) ul.append(el('li', null, formatValue(key, item)));
    return ul;
  }
  if (typeof v === 'object') return formatRecord(v);
  return String(v);
}

// A record inside a list (a charge, a court date): "PC 211 (Robbery)" when it has a citation and
// a description, then its other fields as "Label: value".
function formatRecord(o) {
  const span = el('span');
  const parts = [];
  const rest = Object.entries(o).filter(([, val]) => val !== null && val !== undefined && val !== '');
  const has = (k) => rest.some(([key]) => key === k);
  if (has('citation')) {
    let head = o.citation;
    if (has('description')) head += ' (' + o.description + ')';
    parts.push(head);
  } else if (has('description')) parts.push(String(o.description));
  for (const [k, val] of rest) {
    if (k === 'citation' || k === 'description') continue;
    const f = formatValue(k, val);
    parts.push(fieldLabel(k) + ': ' + (typeof f === 'string' ? f : f.textContent));
  }
  span.textContent = parts.join(' · ');
  return span;
}

// The name heading of a record: its name when published, else its booking number.
export function titleOf(rec) {
  if (typeof rec.name === 'string' && rec.name) return rec.name;
  if (rec.first_name || rec.last_name) return [rec.last_name, rec.first_name].filter(Boolean).join(', ');
  return rec.booking_no ? tt('detail.booking_title', { no: rec.booking_no }) : tt('detail.untitled');
}

const TITLE_KEYS = new Set(['name', 'first_name', 'last_name']);
// Keys that describe the response, not the person.
const META_KEYS = new Set(['links', '_links', 'href', 'url', 'self', 'etag', 'subscribe_url']);

export function fieldEntries(rec) {
  return Object.entries(rec).filter(([k]) => !TITLE_KEYS.has(k) && !META_KEYS.has(k));
}

// A <dl> of every published field, in the order the API gives them.
export function renderFields(dl, rec) {
  dl.replaceChildren();
  for (const [k, v] of fieldEntries(rec)) {
    dl.append(el('dt', { dataset: { field: k } }, fieldLabel(k)), el('dd', { dataset: { field: k } }, formatValue(k, v)));
  }
}

// The line under a result's name: up to four short published fields, first those that tell two
// people of the same name apart (when and where each was booked), then whatever else the agency
// publishes. Only fields the answer carries are shown: the policy decides, for everyone alike.
const SUMMARY_FIRST = ['booking_date', 'facility', 'booking_no', 'custody_status', 'released_on'];
export function summaryItems(rec, max = 4) {
  const out = [];
  const entries = fieldEntries(rec).filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object');
  const rank = (k) => { const i = SUMMARY_FIRST.indexOf(k); return i < 0 ? SUMMARY_FIRST.length : i; };
  entries.sort((a, b) => rank(a[0]) - rank(b[0]));
  for (const [k, v] of entries.slice(0, max)) {
    out.push(el('li', { dataset: { field: k } }, fieldLabel(k) + ': ' + formatValue(k, v)));
  }
  return out;
}
