// intake.js: record an immigration request about a booking (POST
// /api/v1/bookings/{no}/requests), or the several requests one form makes ("types"), with a
// judicial warrant's court and judge (POST /api/v1/requests/{id}/warrant), and show each
// decision with its basis. A request like one recorded lately comes back 409 naming it: the
// page links it and records the new one only when the clerk confirms it is new.
import { api, el, frame, say, problemText, formError, clearFormError, localToApi, nowLocal, REQUEST_TYPES, when, ApiError } from './app.js';
import { renderDecision } from './decision.js';

const form = document.getElementById('intake');
const summary = document.getElementById('booking-summary');
const warrantFields = document.getElementById('warrant-fields');

for (const [value, label] of REQUEST_TYPES) form.type.append(el('option', { value, text: label }));
form.received_at.value = nowLocal();

// The requests an ICE detainer form may make beside the one chosen above.
const FORM_TYPES = ['hold', 'notification', 'transfer'];
const also = document.getElementById('also');
const alsoBox = document.getElementById('also-box');
function fillAlso() {
  also.replaceChildren(...FORM_TYPES.filter((t) => t !== form.type.value).map((t) => el('div', { class: 'choice' },
    el('input', { type: 'checkbox', id: `also-${t}`, name: 'also', value: t, 'aria-describedby': 'also-hint' }),
    el('label', { class: 'inline', for: `also-${t}`, text: REQUEST_TYPES.find(([k]) => k === t)[1] }))));
  alsoBox.hidden = !FORM_TYPES.includes(form.type.value);
}
form.type.addEventListener('change', fillAlso);
fillAlso();

const dup = document.getElementById('duplicate');
let confirmed = false; // the clerk said the request the server found alike is a new one

form.judicial_warrant.addEventListener('change', () => {
  warrantFields.hidden = !form.judicial_warrant.checked;
  form.court.required = form.judicial_warrant.checked;
  form.judge.required = form.judicial_warrant.checked;
});

async function lookUp() {
  const no = form.booking_no.value.trim();
  if (!no) { summary.replaceChildren(); return; }
  try {
    const b = await api('GET', `/api/v1/bookings/${encodeURIComponent(no)}`);
    summary.replaceChildren(el('p', { class: 'panel' },
      `${b.person.name}, booked ${when(b.booked_at)} at ${b.facility}, ${b.status === 'in_custody' ? 'in custody' : 'released'}`,
      b.scheduled_release ? `, scheduled release ${when(b.scheduled_release)}` : '',
      `; ${b.person.convictions.length} conviction(s) on record. `,
      el('a', { href: `person.html?id=${b.person.id}`, text: 'Record of this person' })));
  } catch (e) {
    summary.replaceChildren(el('p', { class: 'form-error', text: problemText(e) }));
  }
}
form.booking_no.addEventListener('change', lookUp);

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  await submit();
});

document.getElementById('confirm-new').addEventListener('click', async () => {
  confirmed = true;
  await submit();
});
for (const f of form.querySelectorAll('input, select')) {
  if (f.name !== 'also') f.addEventListener('change', () => { confirmed = false; dup.hidden = true; });
}

// The request already recorded that this one would repeat (the 409's existing_id).
function showDuplicate(e) {
  const id = e.problem.existing_id;
  document.getElementById('duplicate-text').textContent =
    `${e.message.replace(/; send confirm_new.*$/, '')}. If this is the same request, do not record it again.`;
  const a = document.getElementById('duplicate-link');
  a.href = `request.html?id=${id}`;
  a.textContent = `Open request #${id}, already recorded`;
  dup.hidden = false;
  document.getElementById('duplicate-h').focus();
}

async function submit() {
  clearFormError(form);
  const no = form.booking_no.value.trim();
  if (!no) return formError(form, new ApiError(400, { detail: 'required', field: 'booking_no' }));
  const jw = form.judicial_warrant.checked;
  if (jw && !form.court.value.trim()) return formError(form, new ApiError(400, { detail: 'name the court of the judicial warrant', field: 'court' }));
  if (jw && !form.judge.value.trim()) return formError(form, new ApiError(400, { detail: 'name the judge who signed the warrant', field: 'judge' }));
  const more = [...form.querySelectorAll('input[name="also"]:checked')].map((i) => i.value);
  const body = {
    received_at: localToApi(form.received_at.value),
    judicial_warrant: jw,
    judicial_probable_cause: form.judicial_probable_cause.checked,
    federal_felony_warrant: form.federal_felony_warrant.checked,
  };
  if (more.length) body.types = [form.type.value, ...more]; else body.type = form.type.value;
  if (form.form.value) body.form = form.form.value;
  if (form.issuing_office.value.trim()) body.issuing_office = form.issuing_office.value.trim();
  if (confirmed) body.confirm_new = true;
  let answer;
  try {
    answer = await api('POST', `/api/v1/bookings/${encodeURIComponent(no)}/requests`, body);
  } catch (e) {
    if (e instanceof ApiError && e.status === 409 && e.problem.existing_id) return showDuplicate(e);
    if (e instanceof ApiError && e.field === null && e.status === 404) e.field = 'booking_no';
    return formError(form, e);
  }
  confirmed = false;
  dup.hidden = true;
  const decisions = answer.requests || [answer];
  const ids = decisions.map((d) => String(d.id || '').replace(/^request-/, ''));
  if (jw) {
    for (const id of ids) {
      try {
        await api('POST', `/api/v1/requests/${id}/warrant`, { court: form.court.value.trim(), judge: form.judge.value.trim() });
      } catch (e) {
        say(`Request #${id} was recorded, but not the warrant's court and judge: ${problemText(e)}`, 'error');
      }
    }
  }
  const sec = document.getElementById('decision');
  document.getElementById('decision-body').replaceChildren(...decisions.flatMap((d, i) => [
    decisions.length > 1 ? el('h3', { text: `Request #${ids[i]}` }) : null,
    el('p', {}, `Request #${ids[i]} recorded. `, el('a', { href: `request.html?id=${ids[i]}`, text: decisions.length > 1 ? `Open request #${ids[i]}: notices, consent and override` : 'Open the request: notices, consent and override' })),
    renderDecision(d)]).filter(Boolean));
  sec.hidden = false;
  if (!jw) say(ids.length > 1 ? `Requests #${ids.join(', #')} recorded and decided.` : `Request #${ids[0]} recorded and decided.`);
  document.getElementById('decision-h').focus();
}

frame('intake.html').then(() => {
  const no = new URLSearchParams(location.search).get('booking');
  if (no) { form.booking_no.value = no; lookUp(); }
}, (e) => say(problemText(e), 'error'));
