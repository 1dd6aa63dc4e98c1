// app.js: the public page (docs/public-api.md). One document; the view (search results, a
// person, a confirmation or unsubscribe landing) follows the URL's query string, so every state
// has an address, Back works, and the links in emails (/?confirm=TOKEN, /?unsubscribe=TOKEN)
// open the right state. Every address the page makes carries its language (?lang=), so a link
// copied, shared or opened in a new tab opens in the language it was made in.
import { setLang, initialLang, lang, t, tt } from './i18n.js';
import { api } from './api.js';
import { el, renderFields, summaryItems, titleOf, relativeTime, formatDateTime } from './render.js';

const $ = (id) => document.getElementById(id);
const SEARCH_KEYS = ['last', 'first', 'booking', 'dob'];
const plainClick = (ev) => ev.button === 0 && !ev.metaKey && !ev.ctrlKey && !ev.shiftKey && !ev.altKey;

const state = {
  info: null,           // GET /info: what is published and searchable
  status: null,         // GET /status
  view: 'home',         // home | results | detail | landing
  query: null,          // search parameters from the URL
  page: 1,
  cursors: { 1: null }, // page number -> cursor that fetches it
  results: null,        // the last search answer
  record: null,         // the person shown
  landing: null,        // { kind, outcome, res }
  subDone: null,        // { channel, target, secret }
  errors: {},           // box id -> what it shows (redrawn after a language switch)
  blockedUntil: 0,      // after a 429: no new request before this time (ms)
};

// ------------------------------------------------------------------------------ URL and history

function readUrl() {
  const p = new URLSearchParams(location.search);
  const q = {};
  for (const k of SEARCH_KEYS) { const v = (p.get(k) || '').trim(); if (v) q[k] = v; }
  const page = parseInt(p.get('page') || '1', 10);
  return {
    query: Object.keys(q).length ? q : null,
    page: Number.isInteger(page) && page > 0 ? page : 1,
    cursor: p.get('cursor'),
    booking: p.get('b'),
    confirm: p.get('confirm'),
    unsubscribe: p.get('unsubscribe'),
  };
}

function urlFor({ query, page, cursor, booking, extra } = {}) {
  const p = new URLSearchParams();
  if (query) for (const k of SEARCH_KEYS) if (query[k]) p.set(k, query[k]);
  if (page > 1 && cursor) { p.set('page', String(page)); p.set('cursor', cursor); }
  if (booking) p.set('b', booking);
  if (extra) p.set(extra, '1');
  p.set('lang', lang());
  return location.pathname + '?' + p.toString();
}

// After a language switch: the address bar and the links already drawn name the new language.
function relabelUrls() {
  const here = new URL(location.href);
  here.searchParams.set('lang', lang());
  history.replaceState(history.state, '', here.pathname + here.search + here.hash);
  for (const a of document.querySelectorAll('main a[href], #home-link')) {
    const h = a.getAttribute('href');
    if (!h || h.startsWith('#') || /^[a-z]+:/i.test(h)) continue;
    const u = new URL(h, location.href);
    if (u.origin !== location.origin || u.pathname !== location.pathname) continue;
    u.searchParams.set('lang', lang());
    a.setAttribute('href', u.pathname + u.search);
  }
}

function go(url, { replace = false, focus = true } = {}) {
  const hs = { cursors: state.cursors };
  if (replace) history.replaceState(hs, '', url);
  else history.pushState(hs, '', url);
  return navigate({ focus });
}

// Every change of view ends here; <html data-view data-nav> tell tests (and nothing else) that
// the view is drawn.
let navs = 0;
async function navigate(opts) {
  await route(opts);
  const root = document.documentElement;
  root.dataset.view = state.view;
  root.dataset.nav = String(++navs);
}

// ------------------------------------------------------------------------------ messages

function announce(text) {
  const live = $('live');
  live.textContent = '';
  // Set after a tick so that the same text twice is still read out.
  setTimeout(() => { live.textContent = text; }, 60);
}

function errorText(res) {
  if (typeof res === 'string') return tt(res);
  if (res.status === 0) return tt('error.network');
  // The day's searches with a date of birth for this last name are used up: only those wait.
  if (res.status === 429 && res.problem?.field === 'dob') return tt('search.err_dob_budget');
  if (res.status === 429) {
    const s = res.retryAfter ?? res.problem?.retry_after;
    return s ? tt('error.rate_limited_wait', { n: s }) : tt('error.rate_limited');
  }
  const field = res.problem?.field;
  if (res.status === 404) return tt(field === 'token' ? 'error.token' : 'error.not_found');
  if (res.status === 400 && field === 'cursor') return tt('error.cursor');
  if (res.status === 400 || res.status === 422) {
    const label = field ? (t('param.' + field.replace(/\[\d+\]$/, '')) ?? field) : null;
    const detail = res.problem?.detail || '';
    return label ? tt('error.bad_field', { field: label, detail }) : tt('error.bad_request');
  }
  if (res.status >= 500) return tt('error.server');
  return tt('error.generic', { status: res.status });
}

// what: an API answer or an i18n key.
function showError(what, boxId = 'error') {
  state.errors[boxId] = what;
  $(boxId).textContent = errorText(what);
  if (what && what.status === 429 && what.problem?.field !== 'dob')
    block(what.retryAfter ?? what.problem?.retry_after ?? 5);
}

function clearError(boxId = 'error') {
  delete state.errors[boxId];
  $(boxId).textContent = '';
}

// After a 429: the buttons that send requests stay disabled until Retry-After has passed.
function block(seconds) {
  state.blockedUntil = Math.max(state.blockedUntil, Date.now() + seconds * 1000);
  updateButtons();
  setTimeout(updateButtons, seconds * 1000 + 50);
}

function blocked() { return Date.now() < state.blockedUntil; }

function updateButtons() {
  $('search-submit').disabled = blocked();
  $('sub-submit').disabled = blocked();
  updatePager();
}

function setTitle(part) {
  document.title = part ? `${part} – ${tt('doc.title')}` : tt('doc.title');
}

function focusEl(e) {
  if (!e) return;
  e.focus({ preventScroll: true });
  e.scrollIntoView({ block: 'nearest' });
}

function show(view) {
  state.view = view;
  $('results').hidden = view !== 'results';
  $('detail').hidden = view !== 'detail';
  $('landing').hidden = view !== 'landing';
}

// ------------------------------------------------------------------------------ what is published

// Shows only the search fields and subscription choices the agency allows (GET /info). Without
// an answer everything stays available and the server's 400s explain.
function applyInfo() {
  const info = state.info;
  if (!info) return;
  const s = info.search || {};
  $('q-name-fields').hidden = s.name === false;
  $('q-dob-field').hidden = s.name === false || s.date_of_birth === false;
  $('q-booking-field').hidden = s.booking_no === false;
  // The hint names only what can be searched.
  const hint = $('search-hint');
  hint.dataset.i18n = s.name === false ? 'search.hint_booking' : s.booking_no === false ? 'search.hint_name' : 'search.hint';
  hint.textContent = tt(hint.dataset.i18n);
  const exp = info.export;
  if (exp && exp.csv && exp.jsonl) {
    $('export-csv').href = exp.csv;
    $('export-jsonl').href = exp.jsonl;
    $('export-links').hidden = false;
  }
  const sub = info.subscriptions;
  if (sub) {
    const events = Array.isArray(sub.events) ? sub.events : [];
    $('subscribe').hidden = events.length === 0;
    for (const box of document.querySelectorAll('#sub-events input[name="events"]')) {
      const allowed = events.includes(box.value);
      box.closest('.choice').hidden = !allowed;
      if (!allowed) box.checked = false;
    }
    const channels = Array.isArray(sub.channels) ? sub.channels : ['email'];
    $('sub-ch-webhook-choice').hidden = !channels.includes('webhook');
    $('sub-ch-sms-choice').hidden = !channels.includes('sms');
    if (sub.advance_days_max) $('sub-days').max = String(sub.advance_days_max);
  }
  renderContact(info.agency);
  syncSubForm();
}

// The agency's name, telephone and victim services (GET /info, agency): from the server's
// settings, the same in every language; only the labels are translated. What is not set is
// not shown, and the block not at all when nothing is.
function renderContact(agency) {
  const a = agency && typeof agency === 'object' ? agency : {};
  const vs = a.victim_services && typeof a.victim_services === 'object' ? a.victim_services : {};
  const str = (v) => (typeof v === 'string' && v.trim() ? v.trim() : null);
  const tel = (v) => 'tel:' + v.replace(/[^\d+]/g, '');
  const name = str(a.name), phone = str(a.phone), vPhone = str(vs.phone);
  const vUrl = str(vs.url) && /^https?:\/\//i.test(vs.url) ? vs.url.trim() : null;
  $('contact-name').textContent = name || '';
  $('contact-name').hidden = !name;
  $('contact-phone').textContent = phone || '';
  if (phone) $('contact-phone').href = tel(phone);
  $('contact-phone-dt').hidden = $('contact-phone-dd').hidden = !phone;
  $('contact-victims-phone').textContent = vPhone || '';
  if (vPhone) $('contact-victims-phone').href = tel(vPhone);
  $('contact-victims-phone').hidden = !vPhone;
  if (vUrl) $('contact-victims-url').href = vUrl;
  $('contact-victims-url').hidden = !vUrl;
  $('contact-victims-sep').hidden = !(vPhone && vUrl);
  $('contact-victims-dt').hidden = $('contact-victims-dd').hidden = $('contact-victims-note').hidden = !(vPhone || vUrl);
  $('contact').hidden = !(name || phone || vPhone || vUrl);
}

// ------------------------------------------------------------------------------ search

function fillForm(q) {
  const f = $('search-form');
  for (const k of SEARCH_KEYS) f.elements[k].value = (q && q[k]) || '';
}

function apiParams(q, cursor) {
  const p = {};
  if (q.last) p.last = q.last;
  if (q.first) p.first = q.first;
  if (q.booking) p.booking_no = q.booking;
  if (q.dob) p.dob = q.dob;
  if (cursor) p.cursor = cursor;
  return p;
}

async function runSearch(q, page, cursor, focus) {
  const res = await api.search(apiParams(q, page > 1 ? cursor : null));
  if (!res.ok) {
    if (res.status === 400 && res.problem?.field === 'cursor' && page > 1) {
      // Cursors end when the server restarts or the policy changes: start the search again.
      await go(urlFor({ query: q, page: 1 }), { replace: true, focus });
      showError(res);
      return;
    }
    clearResults();
    show('home');
    showError(res);
    if (focus) focusEl($('error'));
    return;
  }
  state.results = res.data;
  state.query = q;
  state.page = page;
  state.cursors[page] = page > 1 ? cursor : null;
  if (res.data?.next_cursor) state.cursors[page + 1] = res.data.next_cursor;
  show('results');
  renderResults();
  announce($('results-count').textContent);
  if (focus) focusEl($('results-h'));
}

function renderResults() {
  const data = state.results || {};
  const list = Array.isArray(data.inmates) ? data.inmates : [];
  const limit = data.limit || list.length || 25;
  const more = !!data.next_cursor;
  let text;
  if (list.length === 0) text = tt(state.page > 1 ? 'results.none_more' : 'results.none');
  else if (state.page === 1 && !more) text = tt('results.count', { n: list.length });
  else {
    const from = (state.page - 1) * limit + 1;
    text = tt(more ? 'results.range_more' : 'results.range', { from, to: from + list.length - 1 });
  }
  $('results-count').textContent = text;
  const ol = $('results-list');
  ol.replaceChildren();
  for (const rec of list) {
    const no = rec.booking_no;
    const title = titleOf(rec);
    const head = no
      ? el('a', { href: urlFor({ query: state.query, page: state.page, cursor: state.cursors[state.page], booking: no }), dataset: { booking: no } }, title)
      : el('strong', null, title); // booking numbers not published: no page to open
    ol.append(el('li', null, head, el('ul', { class: 'meta' }, ...summaryItems(rec))));
  }
  ol.hidden = list.length === 0;
  renderSuggestions(list.length === 0 && Array.isArray(data.did_you_mean) ? data.did_you_mean : []);
  updatePager();
  setTitle(tt('results.heading'));
}

// "Did you mean": the names the server suggests when a name search found nobody, each a link
// to the search for that name ("Last, First" as published).
function renderSuggestions(names) {
  const ul = $('suggest-list');
  ul.replaceChildren();
  for (const name of names) {
    if (typeof name !== 'string' || !name) continue;
    const comma = name.indexOf(',');
    const q = comma < 0 ? { last: name.trim() } : { last: name.slice(0, comma).trim(), first: name.slice(comma + 1).trim() };
    if (!q.first) delete q.first;
    ul.append(el('li', null, el('a', { href: urlFor({ query: q, page: 1 }), dataset: { suggest: name } }, name)));
  }
  $('suggest').hidden = ul.childElementCount === 0;
}

// A search that failed leaves no earlier answer on screen, where it would pass for this one's.
function clearResults() {
  state.results = null;
  $('results-list').replaceChildren();
  $('results-count').textContent = '';
  renderSuggestions([]);
  $('pager').hidden = true;
  if (state.view === 'results') show('home');
}

function updatePager() {
  const prev = $('prev');
  const next = $('next');
  const more = !!state.results?.next_cursor;
  prev.disabled = blocked() || state.page <= 1;
  next.disabled = blocked() || !more;
  $('page-of').textContent = tt('results.page', { page: state.page });
  $('pager').hidden = state.page <= 1 && !more;
}

function pageUrl(page) {
  const cursor = page > 1 ? state.cursors[page] : null;
  if (page > 1 && !cursor) return urlFor({ query: state.query, page: 1 });
  return urlFor({ query: state.query, page, cursor });
}

function onSearch(ev) {
  ev.preventDefault();
  const f = $('search-form');
  clearError();
  for (const i of f.querySelectorAll('[aria-invalid]')) i.removeAttribute('aria-invalid');
  const q = {};
  for (const k of SEARCH_KEYS) { const v = f.elements[k].value.trim(); if (v && !f.elements[k].closest('[hidden]')) q[k] = v; }
  const fail = (key, input) => { clearResults(); showError(key); input.setAttribute('aria-invalid', 'true'); input.focus(); };
  if (Object.keys(q).length === 0) return fail('search.err_empty', $('q-last').closest('[hidden]') ? $('q-booking') : $('q-last'));
  if (q.first && !q.last) return fail('search.err_first_only', $('q-last'));
  if (q.dob && !q.last) return fail('search.err_dob_only', $('q-last'));
  if (q.dob && !/^\d{4}-\d{2}-\d{2}$/.test(q.dob)) return fail('search.err_dob', $('q-dob'));
  if (q.booking && !/^[A-Za-z0-9._-]{1,40}$/.test(q.booking)) return fail('search.err_booking', $('q-booking'));
  state.cursors = { 1: null };
  go(urlFor({ query: q, page: 1 }));
}

// ------------------------------------------------------------------------------ a person

async function openDetail(bookingNo, focus) {
  const res = await api.inmate(bookingNo);
  if (!res.ok) {
    show(state.results ? 'results' : 'home');
    showError(res);
    if (focus) focusEl($('error'));
    return;
  }
  state.record = res.data;
  state.subDone = null;
  show('detail');
  renderDetail();
  resetSubscribe();
  if (focus) focusEl($('detail-h'));
}

function renderDetail() {
  const rec = state.record;
  $('detail-h').textContent = titleOf(rec);
  renderFields($('detail-fields'), rec);
  const back = $('back-link');
  back.closest('p').hidden = !state.query;
  back.href = urlFor({ query: state.query, page: state.page, cursor: state.cursors[state.page] });
  setTitle(titleOf(rec));
  renderSubDone();
}

// ------------------------------------------------------------------------------ subscriptions

function resetSubscribe() {
  const f = $('sub-form');
  f.reset();
  clearError('sub-error');
  for (const i of f.querySelectorAll('[aria-invalid]')) i.removeAttribute('aria-invalid');
  applyInfo();
  syncSubForm();
}

function syncSubForm() {
  const f = $('sub-form');
  const channel = f.elements.channel.value;
  $('sub-email-field').hidden = channel !== 'email';
  $('sub-phone-field').hidden = channel !== 'sms';
  $('sub-url-field').hidden = channel !== 'webhook';
  $('sub-days-field').hidden = !$('ev-advance').checked || $('ev-advance').closest('[hidden]') !== null;
  syncLangNote();
}

function invalid(input, key) {
  input.setAttribute('aria-invalid', 'true');
  showError(key, 'sub-error');
  input.focus();
}

async function submitSubscribe(ev) {
  ev.preventDefault();
  const f = $('sub-form');
  clearError('sub-error');
  for (const i of f.querySelectorAll('[aria-invalid]')) i.removeAttribute('aria-invalid');
  const channel = f.elements.channel.value;
  const body = { booking_no: state.record.booking_no, channel };
  let target;
  if (channel === 'email') {
    const input = $('sub-email');
    target = input.value.trim();
    if (!target || !input.checkValidity()) return invalid(input, 'sub.err_email');
    body.address = target;
  } else if (channel === 'sms') {
    const input = $('sub-phone');
    target = input.value.trim();
    // The server normalizes and judges the number; here only what cannot be one is stopped.
    if (!/^\+?[\d\s().-]{7,40}$/.test(target)) return invalid(input, 'sub.err_phone');
    body.phone = target;
  } else {
    const input = $('sub-url');
    target = input.value.trim();
    if (!/^https?:\/\/[^\s/]+\S*$/i.test(target)) return invalid(input, 'sub.err_url');
    body.url = target;
  }
  const boxes = [...f.querySelectorAll('input[name="events"]')].filter((i) => !i.closest('[hidden]'));
  const events = boxes.filter((i) => i.checked).map((i) => i.value);
  if (events.length === 0) return invalid(boxes[0] || $('ev-released'), 'sub.err_events');
  body.events = events;
  if (events.includes('advance_notice')) {
    const d = $('sub-days');
    const n = Number(d.value);
    if (!Number.isInteger(n) || n < 1 || n > Number(d.max || 30)) return invalid(d, 'sub.err_days');
    body.advance_days = n;
  }
  body.lang = mailLang(channel);
  $('sub-submit').disabled = true;
  const res = await api.subscribe(body);
  updateButtons();
  if (!res.ok) {
    showError(res, 'sub-error');
    focusEl($('sub-error'));
    return;
  }
  state.subDone = { channel, target, secret: res.data?.secret || null };
  renderSubDone();
  focusEl($('sub-done'));
}

function renderSubDone() {
  const done = $('sub-done');
  if (!state.subDone) { done.hidden = true; $('sub-form').hidden = false; return; }
  const { channel, target, secret, confirmed } = state.subDone;
  const parts = [
    el('p', null, tt('sub.done_title')),
    el('p', null, tt(channel === 'email' ? 'sub.done_email' : channel === 'sms' ? 'sub.done_sms' : 'sub.done_webhook', { target })),
  ];
  if (channel === 'sms' && confirmed) {
    parts.push(el('p', { id: 'sub-code-ok', role: 'status' }, tt('sub.code_ok')));
  } else if (channel === 'sms') {
    parts.push(codeForm());
  }
  if (secret) {
    parts.push(el('p', null, tt('sub.secret_intro')));
    parts.push(el('p', null, el('code', { id: 'sub-secret', class: 'secret' }, secret)));
  }
  done.replaceChildren(...parts);
  done.hidden = false;
  $('sub-form').hidden = true;
}

// The form that takes the code an SMS subscription was sent, and confirms it.
function codeForm() {
  const input = el('input', { id: 'sub-code', name: 'code', type: 'text', inputmode: 'numeric',
    autocomplete: 'one-time-code', maxlength: '6', 'aria-describedby': 'sub-code-error' });
  const form = el('form', { id: 'sub-code-form', novalidate: '' },
    el('div', { id: 'sub-code-error', class: 'error', role: 'alert', tabindex: '-1' }),
    el('div', { class: 'field' }, el('label', { for: 'sub-code' }, tt('sub.code')), input),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', id: 'sub-code-submit' }, tt('sub.code_submit'))));
  form.addEventListener('submit', submitCode);
  return form;
}

async function submitCode(ev) {
  ev.preventDefault();
  const input = $('sub-code');
  clearError('sub-code-error');
  input.removeAttribute('aria-invalid');
  const code = input.value.replace(/\s/g, '');
  if (!/^\d{6}$/.test(code)) {
    input.setAttribute('aria-invalid', 'true');
    showError('sub.err_code', 'sub-code-error');
    input.focus();
    return;
  }
  $('sub-code-submit').disabled = true;
  const res = await api.confirmCode({ booking_no: state.record.booking_no, phone: state.subDone.target, code });
  if (!res.ok) {
    $('sub-code-submit').disabled = false;
    input.setAttribute('aria-invalid', 'true');
    showError(res.status === 404 ? 'sub.err_code' : res, 'sub-code-error');
    input.focus();
    return;
  }
  state.subDone.confirmed = true;
  renderSubDone();
  focusEl($('sub-done'));
}

// The language of the messages a subscriber gets on channel: the page's when the server writes
// that channel's messages in it (GET /info: subscriptions.languages; email_languages for
// email), else English, which the page then says. The page's zh-Hant is the server's zh.
function mailLang(channel = $('sub-form').elements.channel.value) {
  const sub = state.info?.subscriptions;
  const langs = channel === 'email' && Array.isArray(sub?.email_languages) ? sub.email_languages : sub?.languages;
  const ok = Array.isArray(langs) ? langs : ['en', 'es'];
  const want = lang() === 'zh-Hant' ? 'zh' : lang();
  return ok.includes(want) ? want : 'en';
}

function syncLangNote() {
  $('sub-lang-note').hidden = mailLang() !== 'en' || lang() === 'en';
}

// ------------------------------------------------------------------------------ landings

async function landing(kind, token, focus) {
  show('landing');
  state.landing = { kind, outcome: 'working' };
  renderLanding();
  const res = kind === 'confirm' ? await api.confirm(token) : await api.unsubscribe(token);
  const outcome = res.ok ? 'ok' : res.status === 404 ? 'unknown' : 'error';
  state.landing = { kind, outcome, res };
  if (res.status === 429) block(res.retryAfter ?? 5);
  // The token is a key to the subscription: keep it out of the history once it is used.
  if (res.ok) history.replaceState({ cursors: { 1: null } }, '', urlFor({ extra: kind === 'confirm' ? 'confirmed' : 'unsubscribed' }));
  renderLanding();
  if (focus) focusEl($('landing-h'));
}

function renderLanding() {
  const { kind, outcome, res } = state.landing;
  const h = tt(`landing.${kind}.${outcome}.title`);
  $('landing-h').textContent = h;
  $('landing-text').textContent = outcome === 'error' && res ? errorText(res) : tt(`landing.${kind}.${outcome}.text`);
  const actions = $('landing-actions');
  actions.replaceChildren();
  const no = res?.data?.booking_no;
  if (outcome === 'ok' && no) actions.append(el('a', { href: urlFor({ booking: no }), id: 'landing-person' }, tt('landing.open_person', { no })));
  actions.append(el('a', { href: urlFor(), id: 'landing-search' }, tt('landing.search_again')));
  setTitle(h);
  if (outcome !== 'working') announce(h);
}

// ------------------------------------------------------------------------------ status line

async function loadStatus() {
  const res = await api.status();
  state.status = res.ok ? res.data : { failed: true };
  renderStatus();
}

function renderStatus() {
  const line = $('status-line');
  const s = state.status;
  if (!s) return;
  if (s.failed) { line.textContent = tt('status.unavailable'); return; }
  const facs = Array.isArray(s.facilities) ? s.facilities : [];
  const phrase = (at) => at ? tt('status.when', { ago: relativeTime(at) || '', when: formatDateTime(at) }) : tt('status.never');
  if (facs.length === 0) {
    line.textContent = tt('status.prefix') + ' ' + phrase(s.data_changed_at);
    return;
  }
  const items = facs.map((f) => el('li', null, tt('status.facility', { facility: f.facility, when: phrase(f.data_changed_at) })));
  line.replaceChildren(tt('status.prefix'), el('ul', null, ...items));
}

// ------------------------------------------------------------------------------ routing

async function route({ focus }) {
  const u = readUrl();
  clearError();
  if (history.state?.cursors) state.cursors = { ...history.state.cursors };
  if (u.page > 1 && u.cursor) state.cursors[u.page] = u.cursor;
  if (u.confirm) { fillForm(null); return landing('confirm', u.confirm, focus); }
  if (u.unsubscribe) { fillForm(null); return landing('unsubscribe', u.unsubscribe, focus); }
  fillForm(u.query);
  if (u.booking) {
    // A person opened from a search keeps the search, for "Back to results".
    state.query = u.query;
    state.page = u.query ? u.page : 1;
    return openDetail(u.booking, focus);
  }
  if (u.query) return runSearch(u.query, u.cursor ? u.page : 1, u.cursor, focus);
  state.query = null;
  state.results = null;
  state.page = 1;
  show('home');
  setTitle(null);
  if (focus) focusEl($('main-h'));
}

function bind() {
  $('search-form').addEventListener('submit', onSearch);
  $('search-form').addEventListener('reset', () => {
    clearError();
    if (state.view !== 'home' && state.view !== 'landing') go(urlFor(), { focus: false });
  });
  $('prev').addEventListener('click', () => go(pageUrl(state.page - 1)));
  $('next').addEventListener('click', () => go(pageUrl(state.page + 1)));
  $('results-list').addEventListener('click', (ev) => {
    const a = ev.target.closest('a[data-booking]');
    if (!a || !plainClick(ev)) return;
    ev.preventDefault();
    go(a.getAttribute('href'));
  });
  $('suggest-list').addEventListener('click', (ev) => {
    const a = ev.target.closest('a[data-suggest]');
    if (!a || !plainClick(ev)) return;
    ev.preventDefault();
    go(a.getAttribute('href'));
  });
  for (const id of ['back-link', 'home-link']) {
    $(id).addEventListener('click', (ev) => {
      if (!plainClick(ev)) return;
      ev.preventDefault();
      go($(id).getAttribute('href'));
    });
  }
  $('landing-actions').addEventListener('click', (ev) => {
    const a = ev.target.closest('a');
    if (!a || !plainClick(ev)) return;
    ev.preventDefault();
    go(a.getAttribute('href'));
  });
  $('sub-form').addEventListener('submit', submitSubscribe);
  $('sub-form').addEventListener('change', syncSubForm);
  for (const b of document.querySelectorAll('button.lang')) {
    b.addEventListener('click', async () => {
      if (b.dataset.lang === lang()) return;
      try {
        await setLang(b.dataset.lang);
      } catch {
        showError('error.network');
        return;
      }
      relabelUrls();
      rerender();
      announce(tt('lang.changed'));
    });
  }
  window.addEventListener('popstate', () => navigate({ focus: true }));
}

// After a language switch: redraw what is on screen from what is already loaded.
function rerender() {
  renderStatus();
  if (state.view === 'results' && state.results) renderResults();
  else if (state.view === 'detail' && state.record) renderDetail();
  else if (state.view === 'landing' && state.landing) renderLanding();
  else setTitle(null);
  syncLangNote();
  for (const [box, what] of Object.entries(state.errors)) $(box).textContent = errorText(what);
}

async function main() {
  try {
    await setLang(initialLang(), { save: false });
  } catch {
    // The English text is already in the HTML.
  }
  $('home-link').setAttribute('href', urlFor());
  bind();
  // The first paint waits (up to a second) for what changes the layout: which fields are
  // offered, the status line and the view the URL names. Nothing moves after it.
  const ready = (async () => {
    const [info] = await Promise.all([api.info(), loadStatus()]);
    if (info.ok) state.info = info.data;
    applyInfo();
    await navigate({ focus: false });
  })();
  await Promise.race([ready, new Promise((resolve) => setTimeout(resolve, 1000))]);
  document.documentElement.classList.remove('pending');
  await ready;
  document.documentElement.dataset.ready = 'true';
}

main();
