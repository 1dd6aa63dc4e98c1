// settings.js: the agency settings (admins only): what the agency makes public, which the
// engine reads, and its policy per request type, which may only restrict what state law allows.
import { api, el, frame, say, problemText, formError, clearFormError, REQUEST_TYPES } from './app.js';

const form = document.getElementById('settings');
const POLICIES = [
  ['state_law', 'Follow state law'], ['never', 'Never'], ['serious_violent_only', 'Only for serious or violent felonies'],
  ['judicial_warrant_only', 'Only with a judicial warrant'], ['always', 'Always (state law still prevails)'],
];

// The settings the server was started with: shown, not changed here.
async function loadConfigured() {
  const c = await api('GET', '/api/v1/console/agency');
  const rows = [
    ['Agency name on notices', c.agency_name || 'not set: notices leave a line for it'],
    ['Agency address on notices', c.agency_address || 'not set'],
    ['Who states the agency\'s intent', c.intent_by === 'supervisor' ? 'Supervisors and admins' : 'Clerks, supervisors and admins'],
    ['A like request is a duplicate within', c.duplicate_window_hours ? `${c.duplicate_window_hours} hours` : 'never checked'],
    ['Copy notices due (“upon receiving”)', `${c.notice_receipt_hours} hours after receipt`],
    ['Release notices due (“promptly”)', `${c.notice_promptly_hours} hours after immigration authorities are told`],
  ];
  document.getElementById('configured-list').replaceChildren(...rows.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })]));
  document.getElementById('configured').hidden = false;
}

async function load() {
  await loadConfigured();
  const s = await api('GET', '/api/v1/agency/settings');
  form.release_dates_public.checked = s.release_dates_public;
  form.personal_info_public.checked = s.personal_info_public;
  const box = document.getElementById('policy');
  box.replaceChildren(...REQUEST_TYPES.map(([t, label]) => el('div', {},
    el('label', { for: `pol-${t}`, text: label }),
    el('select', { id: `pol-${t}`, name: `policy.${t}`, 'data-type': t },
      POLICIES.map(([v, txt]) => el('option', { value: v, text: txt, selected: (s.policy[t] || 'state_law') === v }))))));
  form.hidden = false;
}

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFormError(form);
  const policy = {};
  form.querySelectorAll('select[data-type]').forEach((s) => { if (s.value !== 'state_law') policy[s.dataset.type] = s.value; });
  try {
    await api('PUT', '/api/v1/agency/settings', {
      release_dates_public: form.release_dates_public.checked,
      personal_info_public: form.personal_info_public.checked,
      policy,
    });
    say('Settings saved. New decisions use them.');
  } catch (e) {
    formError(form, e);
  }
});

frame('settings.html').then(async (me) => {
  if (me.role !== 'admin') { say('Only an administrator may see or change the agency settings.', 'error'); return; }
  try { await load(); } catch (e) { say(problemText(e), 'error'); }
}, (e) => say(problemText(e), 'error'));
