// queue.js: open requests, most urgent first (GET /api/v1/console/queue). A person due for
// release within 48 hours is marked in words and by a bar, not by colour alone. Each request
// shows its outcome in force, the engine's beside it when overridden, and a contrary action. The
// filters apply as soon as one changes (the released ones are asked of the server, the others
// narrow what it sent), and the list is shown a page at a time; the filters and the page are
// kept in the address, so a reload or a link shows the same list.
import { api, el, frame, when, say, problemText, typeName, outcomeInForce, REQUEST_TYPES, OUTCOME_TEXT } from './app.js';

const box = document.getElementById('queue');
const pager = document.getElementById('pager');
const form = document.getElementById('filter');
const PAGE = 25;
let all = [];     // what the server sent for the current "all"
let asOf = null;
let page = 0;

for (const [value, label] of REQUEST_TYPES) form.type.append(el('option', { value, text: label }));
for (const [value, label] of Object.entries(OUTCOME_TEXT)) form.outcome.append(el('option', { value, text: label }));

function noticeCell(n) {
  if (!n.owed) return el('span', { class: 'muted', text: 'none owed' });
  const parts = [`${n.served} of ${n.owed} served`];
  const cell = el('span', {}, parts.join(''));
  if (n.overdue) cell.append(' · ', el('strong', { class: 'state-overdue', text: `${n.overdue} overdue` }));
  return cell;
}

function keep(r) {
  if (form.type.value && r.type !== form.type.value) return false;
  if (form.outcome.value && r.outcome !== form.outcome.value) return false;
  if (form.notices.value === 'overdue' && !(r.notices && r.notices.overdue > 0)) return false;
  if (form.notices.value === 'unserved' && !(r.notices && r.notices.owed > r.notices.served)) return false;
  return true;
}

function remember() {
  const q = new URLSearchParams();
  for (const k of ['type', 'outcome', 'notices']) if (form[k].value) q.set(k, form[k].value);
  if (form.all.checked) q.set('all', 'true');
  if (page > 0) q.set('page', String(page + 1));
  history.replaceState(null, '', q.toString() ? `?${q}` : location.pathname);
}

function pageButton(label, to, current) {
  const b = el('button', { type: 'button', class: current ? null : 'secondary', text: label });
  if (current) b.setAttribute('aria-current', 'page');
  b.addEventListener('click', () => { page = to; render(); box.querySelector('caption')?.focus(); });
  return b;
}

function render() {
  const shown = all.filter(keep);
  const pages = Math.max(1, Math.ceil(shown.length / PAGE));
  if (page >= pages) page = pages - 1;
  remember();
  pager.replaceChildren();
  if (shown.length === 0) {
    box.replaceChildren(el('p', { text: all.length ? 'No open request matches these filters.' : 'No open requests.' }));
    say(all.length ? 'No open request matches these filters.' : 'No open requests.');
    return;
  }
  const rows = shown.slice(page * PAGE, (page + 1) * PAGE).map((r) => {
    const release = r.scheduled_release
      ? el('span', {}, when(r.scheduled_release), r.release_within_48h ? [' ', el('strong', { class: 'flag', text: 'Release within 48 h' })] : [])
      : el('span', { class: 'muted', text: 'none scheduled' });
    return el('tr', { class: r.release_within_48h ? 'soon' : null },
      el('td', {}, el('a', { href: `person.html?id=${r.person_id}`, text: r.person_name })),
      el('td', { text: r.booking_no }),
      el('td', {}, el('a', { href: `request.html?id=${r.id}`, text: `${typeName(r.type)} #${r.id}` })),
      el('td', { text: when(r.received_at) }),
      el('td', {}, outcomeInForce(r)),
      el('td', {}, release),
      el('td', {}, noticeCell(r.notices)));
  });
  const first = page * PAGE + 1, last = Math.min(shown.length, (page + 1) * PAGE);
  const table = el('table', {},
    el('caption', { tabindex: '-1', text: `Requests ${first}–${last} of ${shown.length}${shown.length < all.length ? ` (of ${all.length} open)` : ''}, as of ${when(asOf)}` }),
    el('thead', {}, el('tr', {}, ...['Person', 'Booking', 'Request', 'Received', 'Outcome in force', 'Scheduled release', 'Notices']
      .map((h) => el('th', { scope: 'col', text: h })))),
    el('tbody', {}, rows));
  box.replaceChildren(table);
  if (pages > 1) {
    if (page > 0) pager.append(pageButton('Previous page', page - 1, false));
    for (let i = 0; i < pages; i++) pager.append(pageButton(`Page ${i + 1}`, i, i === page));
    if (page < pages - 1) pager.append(pageButton('Next page', page + 1, false));
  }
  say(`${shown.length} request(s) shown, page ${page + 1} of ${pages}.`);
}

async function load() {
  try {
    const q = await api('GET', `/api/v1/console/queue?limit=500&all=${form.all.checked}`);
    all = q.requests;
    asOf = q.now;
    render();
  } catch (e) {
    say(problemText(e), 'error');
  }
}

// Filters apply at once: the server's for "all", the page's for the others.
form.all.addEventListener('change', () => { page = 0; load(); });
for (const k of ['type', 'outcome', 'notices']) form[k].addEventListener('change', () => { page = 0; render(); });
form.addEventListener('submit', (ev) => { ev.preventDefault(); load(); });
document.getElementById('refresh').addEventListener('click', load);

frame('queue.html').then(() => {
  const p = new URLSearchParams(location.search);
  for (const k of ['type', 'outcome', 'notices']) if (p.get(k)) form[k].value = p.get(k);
  form.all.checked = p.get('all') === 'true';
  page = Math.max(0, (parseInt(p.get('page') || '1', 10) || 1) - 1);
  return load();
}, (e) => say(problemText(e), 'error'));
