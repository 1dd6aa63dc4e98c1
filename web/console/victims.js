// victims.js: victim notification (GET/POST /api/v1/victims, DELETE /api/v1/victims/{id}):
// clerks, supervisors and administrators register a victim or designee and see names and
// addresses; auditors see the registrations without them (the server withholds them).
import { api, el, frame, when, say, problemText, formError, clearFormError, LANGS } from './app.js';

const form = document.getElementById('register');
const filter = document.getElementById('filter');
const list = document.getElementById('list');
const RELATION = { victim: 'Victim', designee: 'Designee', family: 'Family member', witness: 'Witness' };
const langName = (c) => (LANGS.find((l) => l.code === c) || { name: c }).name;
let me = null;

async function remove(v) {
  try {
    await api('DELETE', `/api/v1/victims/${v.id}`);
    say(`Registration ${v.id} removed: no further notice will be sent to it.`);
    await show();
  } catch (e) {
    say(problemText(e), 'error');
  }
}

function row(v) {
  const contact = v.contact_withheld
    ? el('td', { text: 'withheld (your role does not see it)' })
    : el('td', {}, v.name, el('br'), v.address);
  const act = el('td');
  if (me.role !== 'auditor' && v.state === 'active') {
    const b = el('button', { type: 'button', class: 'link', text: 'Remove', 'aria-describedby': `vr-${v.id}` });
    b.addEventListener('click', () => remove(v));
    act.append(b);
  }
  return el('tr', {},
    el('th', { scope: 'row', id: `vr-${v.id}`, text: `#${v.id}` }),
    el('td', { text: v.booking_no }),
    el('td', { text: RELATION[v.relation] || v.relation }),
    contact,
    el('td', { text: `${v.channel}, ${langName(v.lang)}` }),
    el('td', { text: v.follows_person ? 'Yes' : 'No' }),
    el('td', { text: v.state === 'active' ? 'Active' : 'Removed' }),
    el('td', { text: when(v.created_at) }),
    act);
}

async function show() {
  clearFormError(filter);
  const no = filter.booking_no.value.trim();
  let r;
  try {
    r = await api('GET', `/api/v1/victims${no ? `?booking_no=${encodeURIComponent(no)}` : ''}`);
  } catch (e) {
    return formError(filter, e);
  }
  if (r.registrations.length === 0) {
    list.replaceChildren(el('p', { text: 'No registration.' }));
    return;
  }
  const head = ['Registration', 'Booking', 'Relation', 'Name and address', 'Channel and language', 'Follows the person', 'State', 'Registered', 'Action'];
  list.replaceChildren(el('table', { id: 'registrations' },
    el('caption', { text: no ? `Registrations for booking ${no}` : 'All registrations, newest first' }),
    el('thead', {}, el('tr', {}, head.map((h) => el('th', { scope: 'col', text: h })))),
    el('tbody', {}, r.registrations.map(row))));
}

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFormError(form);
  const body = {
    booking_no: form.booking_no.value.trim(), name: form.name.value.trim(), address: form.address.value.trim(),
    relation: form.relation.value, lang: form.lang.value, follows_person: form.follows_person.checked,
  };
  try {
    const v = await api('POST', '/api/v1/victims', body);
    say(`Registered as #${v.id}: notices for booking ${v.booking_no} will be emailed in ${langName(v.lang)}.`);
    form.reset();
    filter.booking_no.value = v.booking_no;
    await show();
  } catch (e) {
    formError(form, e);
  }
});

filter.addEventListener('submit', (ev) => { ev.preventDefault(); show(); });

frame('victims.html').then(async (m) => {
  me = m;
  form.lang.replaceChildren(...LANGS.map((l) => el('option', { value: l.code, lang: l.tag || l.code, text: l.name })));
  form.hidden = me.role === 'auditor';
  try { await show(); } catch (e) { say(problemText(e), 'error'); }
}, (e) => say(problemText(e), 'error'));
