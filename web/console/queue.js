// queue.js: open requests, most urgent first (GET /api/v1/console/queue). A person due for
// release within 48 hours is marked in words and by a bar, not by colour alone. Each request
// shows its outcome in force, the engine's beside it when overridden, and a contrary action.
import { api, el, frame, when, say, problemText, typeName, outcomeInForce } from './app.js';

const box = document.getElementById('queue');
const form = document.getElementById('filter');

function noticeCell(n) {
  if (!n.owed) return el('span', { class: 'muted', text: 'none owed' });
  const parts = [`${n.served} of ${n.owed} served`];
  const cell = el('span', {}, parts.join(''));
  if (n.overdue) cell.append(' · ', el('strong', { class: 'state-overdue', text: `${n.overdue} overdue` }));
  return cell;
}

async function load() {
  try {
    const q = await api('GET', `/api/v1/console/queue?limit=200&all=${form.all.checked}`);
    if (q.requests.length === 0) {
      box.replaceChildren(el('p', { text: 'No open requests.' }));
      return;
    }
    const rows = q.requests.map((r) => {
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
    const table = el('table', {},
      el('caption', { text: `${q.requests.length} requests, as of ${when(q.now)}` }),
      el('thead', {}, el('tr', {}, ...['Person', 'Booking', 'Request', 'Received', 'Outcome in force', 'Scheduled release', 'Notices']
        .map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, rows));
    box.replaceChildren(table);
  } catch (e) {
    say(problemText(e), 'error');
  }
}

form.addEventListener('submit', (ev) => { ev.preventDefault(); load(); });
frame('queue.html').then(load, (e) => say(problemText(e), 'error'));
