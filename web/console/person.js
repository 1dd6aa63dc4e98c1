// person.js: a person's record: identity, convictions (with their dispositions' dates and
// courts), and every booking with its charges (and their dispositions) and requests. Staff who
// may write (clerk, supervisor, admin) also record the court record after booking here: a
// charge added, its disposition or the magistrate's probable-cause finding, a conviction added,
// a Prop 47 reduction (docs/server.md, "The court record after booking"). Each request shows
// its outcome in force (an override's, when a supervisor overrode it) with the engine's beside
// it; the forms and links to forms are shown only to roles that may submit them.
import { api, el, frame, when, say, problemText, idParam, typeName, outcomeInForce, formError, clearFormError } from './app.js';

const id = idParam();
const box = document.getElementById('person');
const WRITERS = ['clerk', 'supervisor', 'admin'];
const LEVELS = [['', 'not known'], ['felony', 'felony'], ['misdemeanor', 'misdemeanor'], ['infraction', 'infraction']];
const DISPOSITIONS = [['pending', 'pending'], ['dismissed', 'dismissed'], ['convicted', 'convicted']];
const TRI = [['', 'not known'], ['true', 'yes'], ['false', 'no']];
let canWrite = false;
let seq = 0; // ids for labels, unique on the page

const AFTER = 'Decisions already made stay as they were; re-decide a request to apply the new record.';

function select(name, options, value, label) {
  const sid = `f${++seq}`;
  const s = el('select', { id: sid, name });
  for (const [v, t] of options) s.append(el('option', { value: v, text: t, selected: v === value }));
  return [el('label', { for: sid, text: label }), s];
}

function input(name, label, attrs = {}) {
  const iid = `f${++seq}`;
  return [el('label', { for: iid, text: label }), el('input', { id: iid, name, type: 'text', ...attrs })];
}

function checkbox(name, label, checked) {
  const cid = `f${++seq}`;
  return el('div', { class: 'choice' }, el('input', { type: 'checkbox', id: cid, name, checked }),
    el('label', { class: 'inline', for: cid, text: label }));
}

// A form that sends body(form) with method to path, then says what happened and reloads.
function writeForm(legend, children, method, path, body, done) {
  const f = el('form', { novalidate: true },
    el('fieldset', {}, el('legend', { text: legend }), ...children,
      el('button', { type: 'submit', text: 'Save' })),
    el('p', { class: 'form-error', role: 'alert' }));
  f.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearFormError(f);
    try {
      const r = await api(method, path, body(f));
      await load();
      say(`${done(r)} ${AFTER}`);
    } catch (e) {
      formError(f, e);
    }
  });
  return f;
}

const tri = (v) => (v === '' ? null : v === 'true');
const orNull = (v) => (v.trim() === '' ? null : v.trim());

function table(caption, heads, rows, empty) {
  if (rows.length === 0) return el('p', { class: 'muted', text: empty });
  return el('table', {}, el('caption', { text: caption }),
    el('thead', {}, el('tr', {}, heads.map((h) => el('th', { scope: 'col', text: h })))),
    el('tbody', {}, rows));
}

// The forms of one booking's charges: a disposition or finding for each, and a new charge.
function chargeForms(b) {
  const forms = b.charges.map((c) => writeForm(`Charge ${c.citation} of booking ${b.booking_no}`, [
    el('div', { class: 'row' },
      el('div', {}, ...select('status', DISPOSITIONS, c.status, 'Disposition'))),
    checkbox('magistrate_probable_cause', 'A magistrate found probable cause on this charge (PC 872)', c.magistrate_probable_cause)],
  'PATCH', `/api/v1/charges/${c.id}`, (f) => ({
    status: f.status.value, magistrate_probable_cause: f.magistrate_probable_cause.checked,
  }), () => `Charge ${c.citation} saved.`));
  forms.push(writeForm(`Add a charge to booking ${b.booking_no}`, [
    el('div', { class: 'row' },
      el('div', {}, ...input('citation', 'Citation', { required: true, placeholder: 'PC 459' })),
      el('div', {}, ...select('level', LEVELS, '', 'Level'))),
    checkbox('magistrate_probable_cause', 'A magistrate found probable cause on this charge (PC 872)', false)],
  'POST', `/api/v1/bookings/${encodeURIComponent(b.booking_no)}/charges`, (f) => {
    const body = { citation: f.citation.value.trim(), magistrate_probable_cause: f.magistrate_probable_cause.checked };
    if (f.level.value) body.level = f.level.value;
    return body;
  }, () => 'Charge added.'));
  return el('details', {}, el('summary', { text: `Record charges and dispositions of booking ${b.booking_no}` }), ...forms);
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
  ];
  if (canWrite) {
    parts.push(writeForm('Record a conviction (a court disposition)', [
      el('div', { class: 'row' },
        el('div', {}, ...input('citation', 'Citation', { required: true, placeholder: 'PC 211' })),
        el('div', {}, ...select('level', LEVELS, '', 'Level')),
        el('div', {}, ...input('date', 'Date of conviction', { type: 'date' }))),
      el('div', { class: 'row' },
        el('div', {}, ...input('court', 'Court')),
        el('div', {}, ...select('prop47_reduced', TRI, '', 'Reduced under Prop 47')))],
    'POST', `/api/v1/people/${id}/convictions`, (f) => {
      const b = { citation: f.citation.value.trim() };
      if (f.level.value) b.level = f.level.value;
      if (f.date.value) b.date = f.date.value;
      if (orNull(f.court.value)) b.court = orNull(f.court.value);
      if (f.prop47_reduced.value) b.prop47_reduced = tri(f.prop47_reduced.value);
      return b;
    }, () => 'Conviction recorded.'));
    for (const c of p.convictions || []) {
      const cur = c.prop47_reduced === null || c.prop47_reduced === undefined ? '' : String(c.prop47_reduced);
      parts.push(writeForm(`Conviction ${c.citation}${c.date ? ` of ${c.date}` : ''}: Prop 47 reduction`, [
        el('div', {}, ...select('prop47_reduced', TRI, cur, 'Reduced under Prop 47 (PC 1170.18)'))],
      'PATCH', `/api/v1/convictions/${c.id}`, (f) => ({ prop47_reduced: tri(f.prop47_reduced.value) }),
      (r) => (r.changed ? `Conviction ${c.citation} updated.` : 'Nothing changed.')));
    }
  }
  parts.push(el('h2', { text: 'Bookings' }));
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
      table(`Immigration requests about booking ${b.booking_no}`, ['Request', 'Received', 'Outcome in force'],
        b.requests.map((q) => el('tr', { 'data-request': q.id },
          el('td', {}, el('a', { href: `request.html?id=${q.id}`, text: `${typeName(q.type)} #${q.id}` })),
          el('td', { text: when(q.received_at) }), el('td', {}, outcomeInForce(q)))),
        'No immigration request.'),
      canWrite ? el('p', {}, el('a', { href: `intake.html?booking=${encodeURIComponent(b.booking_no)}`, text: `Record a request about booking ${b.booking_no}` })) : null,
      canWrite ? chargeForms(b) : null));
  }
  box.replaceChildren(...parts);
}

frame('').then(async (me) => {
  canWrite = WRITERS.includes(me.role);
  if (!id) { say('No person given.', 'error'); return; }
  try { await load(); } catch (e) { say(problemText(e), 'error'); }
}, (e) => say(problemText(e), 'error'));
