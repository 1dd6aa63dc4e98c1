// intake.js: record an immigration request about a booking (POST
// /api/v1/bookings/{no}/requests), with a judicial warrant's court and judge (POST
// /api/v1/requests/{id}/warrant), and show the decision with its basis.
import { api, el, frame, say, problemText, formError, clearFormError, localToApi, nowLocal, REQUEST_TYPES, when, ApiError } from './app.js';
import { renderDecision } from './decision.js';

const form = document.getElementById('intake');
const summary = document.getElementById('booking-summary');
const warrantFields = document.getElementById('warrant-fields');

for (const [value, label] of REQUEST_TYPES) form.type.append(el('option', { value, text: label }));
form.received_at.value = nowLocal();

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
  clearFormError(form);
  const no = form.booking_no.value.trim();
  if (!no) return formError(form, new ApiError(400, { detail: 'required', field: 'booking_no' }));
  const jw = form.judicial_warrant.checked;
  if (jw && !form.court.value.trim()) return formError(form, new ApiError(400, { detail: 'name the court of the judicial warrant', field: 'court' }));
  if (jw && !form.judge.value.trim()) return formError(form, new ApiError(400, { detail: 'name the judge who signed the warrant', field: 'judge' }));
  const body = {
    type: form.type.value,
    received_at: localToApi(form.received_at.value),
    judicial_warrant: jw,
    judicial_probable_cause: form.judicial_probable_cause.checked,
    federal_felony_warrant: form.federal_felony_warrant.checked,
  };
  if (form.form.value) body.form = form.form.value;
  if (form.issuing_office.value.trim()) body.issuing_office = form.issuing_office.value.trim();
  let d;
  try {
    d = await api('POST', `/api/v1/bookings/${encodeURIComponent(no)}/requests`, body);
  } catch (e) {
    if (e instanceof ApiError && e.field === null && e.status === 404) e.field = 'booking_no';
    return formError(form, e);
  }
  const id = String(d.id || '').replace(/^request-/, '');
  if (jw) {
    try {
      await api('POST', `/api/v1/requests/${id}/warrant`, { court: form.court.value.trim(), judge: form.judge.value.trim() });
    } catch (e) {
      say(`The request was recorded, but not the warrant's court and judge: ${problemText(e)}`, 'error');
    }
  }
  const sec = document.getElementById('decision');
  document.getElementById('decision-body').replaceChildren(
    el('p', {}, `Request #${id} recorded. `, el('a', { href: `request.html?id=${id}`, text: 'Open the request: notices, consent and override' })),
    renderDecision(d));
  sec.hidden = false;
  if (!jw) say(`Request #${id} recorded and decided.`);
  document.getElementById('decision-h').focus();
});

frame('intake.html').then(() => {
  const no = new URLSearchParams(location.search).get('booking');
  if (no) { form.booking_no.value = no; lookUp(); }
}, (e) => say(problemText(e), 'error'));
