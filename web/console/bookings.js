// bookings.js: find a booking by name, booking number or date of birth (GET
// /api/v1/console/bookings), and, for agencies without a feed from their jail management
// system, record a release or a transfer (PATCH /api/v1/bookings/{no}: the server raises the
// released and transferred events). Auditors search; only writers see the forms.
import { api, el, frame, when, say, problemText, formError, clearFormError, localToApi, nowLocal, ApiError } from './app.js';

const search = document.getElementById('search');
const results = document.getElementById('results');
const change = document.getElementById('change');
const release = document.getElementById('release');
const transfer = document.getElementById('transfer');
let me = null;
let current = null; // the booking the forms act on
let pages = [0];    // the after= of each page shown so far

const STATUS = { in_custody: 'In custody', released: 'Released' };

function query(after) {
  const q = new URLSearchParams();
  for (const k of ['name', 'booking_no', 'dob']) if (search[k].value.trim()) q.set(k, search[k].value.trim());
  if (search.status.value) q.set('status', search.status.value);
  q.set('limit', '25');
  if (after) q.set('after', String(after));
  return q;
}

async function run(page) {
  clearFormError(search);
  const q = query(pages[page]);
  if (!q.has('name') && !q.has('booking_no') && !q.has('dob')) {
    return formError(search, new ApiError(400, { detail: 'give a name, a booking number or a date of birth', field: 'name' }));
  }
  let r;
  try {
    r = await api('GET', `/api/v1/console/bookings?${q}`);
  } catch (e) {
    return formError(search, e);
  }
  if (r.next_after) pages[page + 1] = r.next_after;
  show(r, page);
}

function actions(b) {
  const cell = el('td', {}, el('a', { href: `intake.html?booking=${encodeURIComponent(b.booking_no)}`, text: 'Record a request' }));
  if (me && me.role !== 'auditor' && b.status === 'in_custody') {
    const btn = el('button', { type: 'button', class: 'link', text: 'Release or transfer', 'aria-describedby': `bk-${b.booking_no}` });
    btn.addEventListener('click', () => open(b));
    cell.append(' · ', btn);
  }
  return cell;
}

function show(r, page) {
  if (r.bookings.length === 0) {
    results.replaceChildren(el('p', { text: 'No booking matches.' }));
    say('No booking matches.');
    return;
  }
  const rows = r.bookings.map((b) => el('tr', {},
    el('th', { scope: 'row', id: `bk-${b.booking_no}`, text: b.booking_no }),
    el('td', { text: b.name }),
    el('td', { text: b.date_of_birth || '—' }),
    el('td', { text: when(b.booked_at) }),
    el('td', { text: b.facility || '—' }),
    el('td', { text: b.status === 'released' ? `Released ${when(b.released_at)}` : STATUS[b.status] || b.status }),
    el('td', { text: b.scheduled_release ? when(b.scheduled_release) : '—' }),
    actions(b)));
  const table = el('table', {},
    el('caption', { text: `Page ${page + 1}: ${r.bookings.length} booking(s)` }),
    el('thead', {}, el('tr', {}, ...['Booking', 'Name', 'Date of birth', 'Booked', 'Facility', 'Custody', 'Scheduled release', 'Actions']
      .map((h) => el('th', { scope: 'col', text: h })))),
    el('tbody', {}, rows));
  const nav = el('div', { class: 'row' });
  if (page > 0) {
    const prev = el('button', { type: 'button', class: 'secondary', text: 'Previous page' });
    prev.addEventListener('click', () => run(page - 1));
    nav.append(prev);
  }
  if (r.next_after) {
    const next = el('button', { type: 'button', class: 'secondary', text: 'Next page' });
    next.addEventListener('click', () => run(page + 1));
    nav.append(next);
  }
  results.replaceChildren(table, nav);
  say(`${r.bookings.length} booking(s) found.`);
}

function open(b) {
  current = b;
  clearFormError(release);
  clearFormError(transfer);
  release.released_at.value = nowLocal();
  release.release_reason.value = '';
  transfer.facility.value = '';
  document.getElementById('change-summary').replaceChildren(el('p', { class: 'panel' },
    `${b.name}, booking ${b.booking_no}, at ${b.facility || 'no facility recorded'}.`));
  change.hidden = false;
  document.getElementById('change-h').focus();
}

async function patch(form, body, done) {
  clearFormError(form);
  try {
    await api('PATCH', `/api/v1/bookings/${encodeURIComponent(current.booking_no)}`, body);
  } catch (e) {
    return formError(form, e);
  }
  change.hidden = true;
  pages = [0];
  await run(0);
  say(done);
}

release.addEventListener('submit', (ev) => {
  ev.preventDefault();
  if (!release.released_at.value) return formError(release, new ApiError(400, { detail: 'required', field: 'released_at' }));
  if (!release.release_reason.value) return formError(release, new ApiError(400, { detail: 'choose a reason', field: 'release_reason' }));
  patch(release, { status: 'released', released_at: localToApi(release.released_at.value), release_reason: release.release_reason.value },
    `Release of ${current.name} (${current.booking_no}) recorded.`);
});

transfer.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const f = transfer.facility.value.trim();
  if (!f) return formError(transfer, new ApiError(400, { detail: 'name the facility', field: 'facility' }));
  patch(transfer, { facility: f }, `Transfer of ${current.name} (${current.booking_no}) to ${f} recorded.`);
});

search.addEventListener('submit', (ev) => { ev.preventDefault(); pages = [0]; run(0); });

frame('bookings.html').then((who) => {
  me = who;
  const p = new URLSearchParams(location.search);
  for (const k of ['name', 'booking_no', 'dob']) if (p.get(k)) search[k].value = p.get(k);
  if (p.get('name') || p.get('booking_no') || p.get('dob')) run(0);
}, (e) => say(problemText(e), 'error'));
