// person.js: a person's record: identity, convictions (with their dispositions' dates and
// courts), and every booking with its charges (and their dispositions) and requests.
import { api, el, frame, when, say, problemText, idParam, typeName, outcomeBadge } from './app.js';

const id = idParam();
const box = document.getElementById('person');

function table(caption, heads, rows, empty) {
  if (rows.length === 0) return el('p', { class: 'muted', text: empty });
  return el('table', {}, el('caption', { text: caption }),
    el('thead', {}, el('tr', {}, heads.map((h) => el('th', { scope: 'col', text: h })))),
    el('tbody', {}, rows));
}

async function load() {
  const r = await api('GET', `/api/v1/people/${id}`);
  const p = r.person;
  document.getElementById('title').textContent = p.name || `Person ${p.id}`;
  document.title = `${p.name || 'Person'} — holdcheck staff console`;
  const parts = [
    el('dl', { class: 'facts' },
      el('dt', { text: 'Date of birth' }), el('dd', { text: p.date_of_birth || '—' }),
      el('dt', { text: 'Local id' }), el('dd', { text: p.local_id || '—' }),
      el('dt', { text: 'PC 290 registrant' }), el('dd', { text: p.registrant_290 ? 'yes' : 'no' })),
    el('h2', { text: 'Convictions' }),
    table('Convictions on record', ['Citation', 'Level', 'Date', 'Court', 'Jurisdiction', 'Prop 47 reduced'],
      (p.convictions || []).map((c) => el('tr', {}, [c.citation, c.level || '—', c.date || '—', c.court || '—', c.jurisdiction || '—',
        c.prop47_reduced === null || c.prop47_reduced === undefined ? 'not known' : c.prop47_reduced ? 'yes' : 'no'].map((v) => el('td', { text: v })))),
      'No conviction on record.'),
    el('h2', { text: 'Bookings' }),
  ];
  if (r.bookings.length === 0) parts.push(el('p', { class: 'muted', text: 'No booking.' }));
  for (const b of r.bookings) {
    parts.push(el('section', { 'aria-label': `Booking ${b.booking_no}` },
      el('h3', { text: `Booking ${b.booking_no}` }),
      el('dl', { class: 'facts' },
        el('dt', { text: 'Booked' }), el('dd', { text: `${when(b.booked_at)} at ${b.facility}` }),
        el('dt', { text: 'Status' }), el('dd', { text: b.status === 'in_custody' ? 'in custody' : `released ${when(b.released_at)}${b.release_reason ? ` (${b.release_reason})` : ''}` }),
        el('dt', { text: 'Scheduled release' }), el('dd', { text: when(b.scheduled_release) })),
      table(`Charges of booking ${b.booking_no} and their dispositions`, ['Citation', 'Level', 'Disposition', 'Magistrate probable cause'],
        b.charges.map((c) => el('tr', {}, [c.citation, c.level || '—', c.status, c.magistrate_probable_cause ? 'yes' : 'no'].map((v) => el('td', { text: v })))),
        'No charge.'),
      table(`Immigration requests about booking ${b.booking_no}`, ['Request', 'Received', 'Decision'],
        b.requests.map((q) => el('tr', {},
          el('td', {}, el('a', { href: `request.html?id=${q.id}`, text: `${typeName(q.type)} #${q.id}` })),
          el('td', { text: when(q.received_at) }), el('td', {}, outcomeBadge(q.outcome)))),
        'No immigration request.'),
      el('p', {}, el('a', { href: `intake.html?booking=${encodeURIComponent(b.booking_no)}`, text: `Record a request about booking ${b.booking_no}` }))));
  }
  box.replaceChildren(...parts);
}

frame('').then(async () => {
  if (!id) { say('No person given.', 'error'); return; }
  try { await load(); } catch (e) { say(problemText(e), 'error'); }
}, (e) => say(problemText(e), 'error'));
