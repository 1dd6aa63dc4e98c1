// publication.js: the public portal's publication policy (admins only): which fields the public
// side shows, each with its legal effect as the server states it (GET /api/v1/agency/publication),
// and a warning whenever the choice makes release dates public (Gov. Code 7284.6(a)(1)(C)).
import { api, el, frame, say, problemText, formError, clearFormError } from './app.js';

const form = document.getElementById('publication');
const warning = document.getElementById('release-warning');

// The field names of the API, as the page writes them.
const LABELS = {
  booking_no: 'Booking number', name: 'Name', booking_date: 'Booking date', charges: 'Charges',
  bail: 'Bail', next_court_date: 'Next court date', facility: 'Facility', custody_status: 'Custody status',
  scheduled_release: 'Scheduled release date and time', recently_released: 'Recently released people',
};

// Release dates become public with the scheduled release field, or when published elsewhere.
function releasePublic() {
  return form.querySelector('#f-scheduled_release')?.checked || form.elsewhere.checked;
}

function showWarning() {
  warning.hidden = !releasePublic();
}

async function load() {
  const p = await api('GET', '/api/v1/agency/publication');
  document.getElementById('fields').replaceChildren(...p.fields.map((f) => el('div', { class: 'choice' },
    el('input', { type: 'checkbox', id: `f-${f.field}`, name: 'published', value: f.field,
      checked: f.published, 'aria-describedby': `e-${f.field}` }),
    el('label', { class: 'inline', for: `f-${f.field}`, text: LABELS[f.field] || f.field }),
    el('p', { id: `e-${f.field}`, class: 'hint', text: f.legal_effect }))));
  form.recently_released_days.value = p.recently_released_days;
  form.elsewhere.checked = p.release_dates_public_elsewhere;
  document.getElementById('never-text').textContent = p.never_public;
  document.getElementById('never').hidden = false;
  form.hidden = false;
  showWarning();
}

form.addEventListener('change', showWarning);

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFormError(form);
  const published = [...form.querySelectorAll('input[name="published"]:checked')].map((i) => i.value);
  try {
    const p = await api('PUT', '/api/v1/agency/publication', {
      published,
      recently_released_days: Number(form.recently_released_days.value),
      release_dates_public_elsewhere: form.elsewhere.checked,
    });
    say(p.release_dates_public
      ? 'Saved. Release dates are now public: the engine may permit release-date notifications for anyone (Gov. Code 7284.6(a)(1)(C)).'
      : 'Saved. Release dates are not public.');
  } catch (e) {
    formError(form, e);
  }
});

frame('publication.html').then(async (me) => {
  if (me.role !== 'admin') { say('Only an administrator may see or change what the public portal publishes.', 'error'); return; }
  try { await load(); } catch (e) { say(problemText(e), 'error'); }
}, (e) => say(problemText(e), 'error'));
