// request.js: one request: the decision and its basis, the supervisor override, the TRUTH Act
// notices owed (generate and print in six languages, mark served), interview consent and the
// interview's steps, release dates given to immigration authorities, and the agency's intent.
// what was done about it (actions, flagged when contrary to the outcome in force). Every action
// is a call to the API, which records it in the audit log under the signed-in user. Forms a
// role cannot submit (the override and the intent for a clerk, every form for an auditor) are
// not shown to it.
import {
  api, el, frame, when, say, problemText, formError, clearFormError, idParam, localToApi, nowLocal,
  typeName, outcomeInForce, LANGS, OUTCOME_TEXT,
} from './app.js';
import { renderDecision } from './decision.js';

const id = idParam();
let me = null;

const KIND_TEXT = {
  copy: 'Copy of the request and the agency’s intent',
  release: 'Notice of the release date given to immigration authorities',
  consent: 'Interview consent form',
};
const TO_TEXT = { person: 'the person', counsel: 'their attorney or designee' };
const STATE_TEXT = { pending: 'Not yet served', overdue: 'Overdue', served: 'Served', served_late: 'Served late' };
const ANSWER_TEXT = { consent: 'Consents to the interview', decline: 'Declines the interview', attorney_only: 'Only with an attorney present' };
const writer = () => me && me.role !== 'auditor';
const supervisor = () => me && (me.role === 'supervisor' || me.role === 'admin');

function facts(pairs) {
  return el('dl', { class: 'facts' }, pairs.filter(Boolean).map(([k, v]) => [el('dt', { text: k }), el('dd', {}, v)]).flat());
}

function errorBox() { return el('div', { class: 'form-error', role: 'alert' }); }

// Runs fn for a form's submit; shows errors in the form, reloads the page's data on success.
function onSubmit(form, fn, okMsg) {
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearFormError(form);
    try {
      const msg = await fn(ev.submitter);
      await load();
      say(msg || okMsg);
    } catch (e) {
      formError(form, e);
    }
  });
}

// ---- summary, decision, override -------------------------------------------------------------

function renderSummary(rq, st) {
  document.getElementById('title').textContent = `${typeName(rq.type)} request #${rq.id}`;
  document.title = `${typeName(rq.type)} request #${rq.id} — holdcheck staff console`;
  const w = st.warrants.length ? st.warrants[st.warrants.length - 1] : null;
  document.getElementById('summary').replaceChildren(facts([
    ['Person', el('a', { href: `person.html?id=${st.person_id}`, text: st.person_name })],
    ['Booking', rq.booking_no],
    ['Received', when(rq.received_at)],
    ['Federal form', rq.form || '—'],
    ['Issuing office', rq.issuing_office || '—'],
    ['Judicial warrant', rq.judicial_warrant ? (w ? `yes: ${w.court}, ${w.judge}` : 'yes (court and judge not recorded)') : 'no'],
    ['Judicial probable cause', rq.judicial_probable_cause ? 'yes' : 'no'],
    ['Federal felony warrant', rq.federal_felony_warrant ? 'yes' : 'no'],
    ['Outcome in force', outcomeInForce(rq)],
  ]));
}

function renderDecisionSection(rq) {
  const box = document.getElementById('decision');
  const last = rq.decisions[rq.decisions.length - 1];
  if (!last) { box.replaceChildren(el('p', { text: 'Not decided.' })); return; }
  const parts = [el('p', { class: 'hint', text: `Version ${last.version} of ${rq.decisions.length}, decided ${when(last.decided_at)} by ${last.decided_by}.` }),
    renderDecision({ ...last.decision, ruleset: last.ruleset })];
  box.replaceChildren(...parts);
}

function renderOverride(rq) {
  const box = document.getElementById('override');
  const last = rq.decisions[rq.decisions.length - 1];
  const mine = rq.overrides.filter((o) => last && o.decision_id === last.id);
  const items = mine.length
    ? el('ul', {}, mine.map((o) => el('li', {}, `${OUTCOME_TEXT[o.outcome]} by ${o.created_by}, ${when(o.created_at)}: “${o.reason}”`)))
    : el('p', { class: 'muted', text: 'No override of this decision.' });
  box.replaceChildren(items);
  if (!supervisor() || !last) {
    if (last) box.append(el('p', { class: 'hint', text: 'A supervisor or an administrator may override the decision.' }));
    return;
  }
  // The engine permitted this because the agency publishes release dates: say what that means
  // before anyone decides on it, as the public portal's page does (Gov. Code 7284.6(a)(1)(C)).
  const releasePublic = (last.decision?.qualifying || []).some((q) => q.fact === 'agency.release_dates_public');
  const form = el('form', { id: 'override-form', novalidate: true },
    releasePublic ? el('div', { id: 'release-warning', class: 'warning' },
      el('p', {}, el('strong', { text: 'This agency makes release dates public. ' }),
        'Anyone, immigration authorities included, can look up this release and subscribe to be told of it, whatever is decided here. That is why the engine permits telling immigration authorities the release date (Gov. Code 7284.6(a)(1)(C)), for anyone, not only for people who meet a Gov. Code 7282.5 condition. Overriding keeps this agency from answering the request; it does not take the date off the public portal.')) : null,
    el('p', { class: 'hint', text: 'A supervisor may make the outcome more restrictive, never less: permitted → permitted with conditions → needs review → prohibited. A reason is required.' }),
    el('label', { for: 'ovr-outcome', text: 'New outcome' }),
    el('select', { id: 'ovr-outcome', name: 'outcome' },
      ['permitted_with_conditions', 'review', 'prohibited'].map((o) => el('option', { value: o, text: OUTCOME_TEXT[o] }))),
    el('label', { for: 'ovr-reason', text: 'Reason' }),
    el('textarea', { id: 'ovr-reason', name: 'reason', maxlength: '2000' }),
    errorBox(),
    el('button', { type: 'submit', text: 'Record override' }));
  box.append(form);
  onSubmit(form, async () => {
    await api('POST', `/api/v1/requests/${id}/override`, { outcome: form.outcome.value, reason: form.reason.value });
    return 'Override recorded.';
  });
}

// ---- notices ---------------------------------------------------------------------------------

function generate(body) {
  return api('POST', `/api/v1/requests/${id}/notices`, body);
}

// The language buttons for an owed notice to the person: each records and opens a notice.
function langButtons(o, n) {
  const labelId = `gen-${n}`;
  const group = el('div', { class: 'langs', role: 'group', 'aria-labelledby': labelId });
  for (const l of LANGS) {
    const b = el('button', { type: 'button', class: 'secondary', 'data-kind': o.kind, 'data-lang': l.code },
      el('span', { lang: l.tag || l.code, text: l.name }));
    b.addEventListener('click', async () => {
      try {
        const nt = await generate({ kind: o.kind, language: l.code });
        await load();
        say(`Notice #${nt.id} (${KIND_TEXT[nt.kind]}, ${l.name}) generated: print it from the list of generated notices.`);
      } catch (e) {
        say(problemText(e), 'error');
      }
    });
    group.append(b);
  }
  return el('div', {}, el('span', { id: labelId, class: 'hint', text: 'Generate and print in:' }), group);
}

// The form for the release notice to the person's attorney or designee.
function counselForm(n) {
  const form = el('form', { novalidate: true, class: 'counsel-form' },
    el('label', { for: `cr-${n}`, text: 'Give to' }),
    el('select', { id: `cr-${n}`, name: 'recipient' },
      el('option', { value: 'attorney', text: 'Their attorney' }), el('option', { value: 'designee', text: 'The person they designated' })),
    el('label', { for: `cn-${n}`, text: 'Name of the attorney or designee' }),
    el('input', { type: 'text', id: `cn-${n}`, name: 'recipient_name', autocomplete: 'off' }),
    el('label', { for: `cl-${n}`, text: 'Language' }),
    el('select', { id: `cl-${n}`, name: 'language' }, LANGS.map((l) => el('option', { value: l.code, text: l.name }))),
    errorBox(),
    el('button', { type: 'submit', text: 'Generate notice for counsel' }));
  onSubmit(form, async () => {
    const nt = await generate({ kind: 'release', language: form.language.value, recipient: form.recipient.value, recipient_name: form.recipient_name.value.trim() });
    return `Notice #${nt.id} generated for ${nt.recipient_name}.`;
  });
  return form;
}

function owedTable(st) {
  const rows = st.owed.map((o, n) => {
    const stateCell = el('td', {}, el('strong', { class: `state-${o.state}`, text: STATE_TEXT[o.state] || o.state }),
      o.served_at ? ` ${when(o.served_at)}` : '');
    const notes = [];
    if (o.flags.includes('intent_pending')) notes.push('The agency has not decided whether it will comply: serve a new copy once it decides.');
    if (o.flags.includes('if_interview_proceeds')) notes.push('Owed only if the interview goes ahead once the decision is final.');
    if (o.release_date) notes.push(`Release date given: ${when(o.release_date)}.`);
    const action = el('td', {});
    if (writer()) action.append(o.to === 'person' ? langButtons(o, n) : counselForm(n));
    return el('tr', { 'data-kind': o.kind, 'data-to': o.to },
      el('th', { scope: 'row' }, `${KIND_TEXT[o.kind]}, to ${TO_TEXT[o.to]}`, notes.map((t) => el('p', { class: 'hint', text: t }))),
      el('td', { text: `Gov. Code § ${o.subdivision}` }),
      el('td', {}, `“${o.words}”`, el('br'), o.deadline ? `by ${when(o.deadline)}` : 'no deadline yet'),
      stateCell,
      action);
  });
  return el('table', { id: 'owed' },
    el('caption', { text: `Notices the TRUTH Act requires for this request: ${st.counts.served} of ${st.counts.owed} served${st.counts.overdue ? `, ${st.counts.overdue} overdue` : ''}` }),
    el('thead', {}, el('tr', {}, ['Notice', 'Law', 'Due', 'State', 'Print'].map((h) => el('th', { scope: 'col', text: h })))),
    el('tbody', {}, rows));
}

function servedForm(nt) {
  const form = el('form', { novalidate: true, class: 'served-form', 'data-notice': nt.id },
    el('label', { for: `st-${nt.id}`, text: 'Given to (name)' }),
    el('input', { type: 'text', id: `st-${nt.id}`, name: 'served_to', autocomplete: 'off', value: nt.recipient_name || '' }),
    el('label', { for: `sm-${nt.id}`, text: 'How' }),
    el('select', { id: `sm-${nt.id}`, name: 'method' },
      [['in_person', 'In person'], ['mail', 'By mail'], ['email', 'By email'], ['fax', 'By fax']].map(([v, t]) => el('option', { value: v, text: t }))),
    errorBox(),
    el('button', { type: 'submit', text: `Mark notice #${nt.id} served` }));
  onSubmit(form, async () => {
    const body = { method: form.method.value };
    if (form.served_to.value.trim()) body.served_to = form.served_to.value.trim();
    const r = await api('POST', `/api/v1/notices/${nt.id}/served`, body);
    return `Notice #${nt.id} marked served to ${r.served_to} by ${r.served_by}.`;
  });
  return form;
}

function generatedTable(st) {
  if (st.notices.length === 0) return el('p', { class: 'muted', text: 'No notice generated yet.' });
  const rows = st.notices.map((nt) => {
    const lang = LANGS.find((l) => l.code === nt.language);
    const served = nt.served_at
      ? el('td', { text: `Served ${when(nt.served_at)} to ${nt.served_to} (${nt.method.replace('_', ' ')}) by ${nt.served_by}` })
      : el('td', {}, writer() ? servedForm(nt) : 'Not served');
    return el('tr', { 'data-notice': nt.id },
      el('td', { text: `#${nt.id}` }),
      el('td', {}, KIND_TEXT[nt.kind], nt.recipient !== 'person' ? ` (to ${nt.recipient}: ${nt.recipient_name})` : ''),
      el('td', {}, el('span', { lang: lang.tag || lang.code, text: lang.name })),
      el('td', { text: `${when(nt.generated_at)} by ${nt.generated_by}` }),
      el('td', {},
        el('a', { href: nt.pdf, target: '_blank', rel: 'noopener', class: 'pdf-link', text: `PDF of notice #${nt.id}` }), el('br'),
        el('a', { href: nt.html, target: '_blank', rel: 'noopener', class: 'html-link', text: `Print view of notice #${nt.id}` })),
      served);
  });
  return el('table', { id: 'generated' },
    el('caption', { text: 'Notices generated for this request' }),
    el('thead', {}, el('tr', {}, ['No.', 'Notice', 'Language', 'Generated', 'Print', 'Service'].map((h) => el('th', { scope: 'col', text: h })))),
    el('tbody', {}, rows));
}

function renderNotices(st) {
  const box = document.getElementById('notices');
  if (!st.truth_act) {
    box.replaceChildren(el('p', { text: 'The TRUTH Act (Gov. Code § 7283.1) was not yet in force on the day this request was received (it applies from 2017-01-01): no notice is owed.' }));
    return;
  }
  box.replaceChildren(
    st.owed.length ? owedTable(st) : el('p', { text: 'No notice is owed for this request under Gov. Code § 7283.1(a) or (b).' }),
    el('h3', { text: 'Generated notices' }),
    generatedTable(st));
}

// ---- interview consent, release dates, intent ------------------------------------------------

function renderInterview(st) {
  const sec = document.getElementById('interview-section');
  if (st.type !== 'interview') { sec.hidden = true; return; }
  sec.hidden = false;
  const box = document.getElementById('interview');
  const last = st.consents[st.consents.length - 1];
  box.replaceChildren(
    el('p', { text: st.consent_required
      ? 'The decision’s conditions require the written consent form (Gov. Code § 7283.1(a)) and the person’s consent before the interview.'
      : 'The decision’s conditions do not require consent for this interview.' }),
    facts([
      ['Person’s answer', last ? `${ANSWER_TEXT[last.answer]}${last.attorney ? ` (attorney: ${last.attorney})` : ''}, recorded by ${last.recorded_by} ${when(last.recorded_at)}` : 'not recorded'],
      ['Interview', st.interviews.length ? st.interviews.map((s) => `${s.status}${s.at ? ` for ${when(s.at)}` : ''} (${s.recorded_by}, ${when(s.recorded_at)})`).join('; ') : 'no step recorded'],
      ['May be granted', st.may_grant_interview ? 'yes' : `no: ${st.grant_blocked_by}`],
    ]));
  if (!writer()) return;
  const consent = el('form', { id: 'consent-form', novalidate: true },
    el('fieldset', {}, el('legend', { text: 'Record the person’s answer' }),
      ...Object.entries(ANSWER_TEXT).map(([v, t]) => el('div', { class: 'choice' },
        el('input', { type: 'radio', id: `ans-${v}`, name: 'answer', value: v }), el('label', { class: 'inline', for: `ans-${v}`, text: t }))),
      el('label', { for: 'attorney', text: 'Attorney’s name (when only with an attorney)' }),
      el('input', { type: 'text', id: 'attorney', name: 'attorney', autocomplete: 'off' })),
    errorBox(),
    el('button', { type: 'submit', text: 'Record answer' }));
  onSubmit(consent, async () => {
    const a = consent.querySelector('input[name="answer"]:checked');
    const body = { answer: a ? a.value : '' };
    if (consent.attorney.value.trim()) body.attorney = consent.attorney.value.trim();
    await api('POST', `/api/v1/requests/${id}/consent`, body);
    return 'Answer recorded.';
  });
  const step = el('form', { id: 'interview-form', novalidate: true },
    el('label', { for: 'iv-at', text: 'Interview scheduled for' }),
    el('input', { type: 'datetime-local', id: 'iv-at', name: 'at' }),
    errorBox(),
    el('button', { type: 'submit', name: 'scheduled', value: 'scheduled', text: 'Schedule interview' }),
    el('button', { type: 'submit', name: 'granted', value: 'granted', text: 'Mark interview granted' }),
    el('button', { type: 'submit', class: 'secondary', name: 'refused', value: 'refused', text: 'Mark interview refused' }));
  onSubmit(step, async (submitter) => {
    const status = submitter ? submitter.value : 'scheduled';
    const body = { status };
    if (status === 'scheduled') body.at = localToApi(step.at.value);
    await api('POST', `/api/v1/requests/${id}/interview`, body);
    return `Interview ${status}.`;
  });
  box.append(consent, step);
}

function renderRelease(st) {
  const box = document.getElementById('release');
  box.replaceChildren(st.disclosures.length
    ? el('ul', {}, st.disclosures.map((x) => el('li', { text: `Release date ${when(x.release_date)} given ${when(x.told_at)} (recorded by ${x.recorded_by})` })))
    : el('p', { class: 'muted', text: 'The agency has not told immigration authorities a release date for this request.' }));
  if (!writer()) return;
  const warn = st.effective_outcome === 'prohibited'
    ? el('p', { class: 'flag', text: 'The decision prohibits giving this information. Record it only if it was given anyway: the notice to the person is still owed.' })
    : null;
  const form = el('form', { id: 'release-form', novalidate: true },
    el('p', { class: 'hint', text: 'Record it when the agency tells immigration authorities a release date: the same notice is then owed, promptly, to the person and to their attorney or designee (Gov. Code § 7283.1(b)).' }),
    warn,
    el('label', { for: 'rel-date', text: 'Release date and time given' }),
    el('input', { type: 'datetime-local', id: 'rel-date', name: 'release_date' }),
    el('label', { for: 'rel-told', text: 'When they were told' }),
    el('input', { type: 'datetime-local', id: 'rel-told', name: 'told_at', value: nowLocal() }),
    errorBox(),
    el('button', { type: 'submit', text: 'Record release date given' }));
  onSubmit(form, async () => {
    await api('POST', `/api/v1/requests/${id}/disclosures`, { release_date: localToApi(form.release_date.value), told_at: localToApi(form.told_at.value) });
    return 'Release date recorded; the release notices are now owed.';
  });
  box.append(form);
}

function renderIntent(st) {
  const box = document.getElementById('intent');
  const text = { undecided: 'Not decided', yes: 'Intends to comply', no: 'Will not comply' };
  box.replaceChildren(el('p', {}, `${text[st.intent]}${st.intent_stated ? ' (stated)' : ' (from the decision)'}.`));
  if (!me || (me.role !== 'supervisor' && me.role !== 'admin')) {
    box.append(el('p', { class: 'hint', text: 'A supervisor or an administrator states the agency’s intent.' }));
    return;
  }
  const form = el('form', { id: 'intent-form', novalidate: true },
    el('label', { for: 'intent-sel', text: 'The agency' }),
    el('select', { id: 'intent-sel', name: 'intent' },
      Object.entries(text).map(([v, t]) => el('option', { value: v, text: t, selected: v === st.intent }))),
    errorBox(),
    el('button', { type: 'submit', text: 'Save intent' }));
  onSubmit(form, async () => {
    await api('PUT', `/api/v1/requests/${id}/intent`, { intent: form.intent.value });
    return 'Intent saved.';
  });
  box.append(form);
}

// ---- what was done ---------------------------------------------------------------------------

const ACTION_TEXT = {
  notified: 'ICE told of the release date',
  transferred: 'Transferred to ICE custody',
  released_before_ice: 'Released before ICE arrived',
  ice_no_custody: 'ICE did not take custody',
  lifted_by_ice: 'Request lifted or withdrawn by ICE',
  declined: 'Request declined by the agency',
};
const METHOD_TEXT = { phone: 'by phone', fax: 'by fax', email: 'by email', system: 'through a system' };

function renderActions(rq) {
  const box = document.getElementById('actions');
  const items = rq.actions.length
    ? el('ul', {}, rq.actions.map((x) => el('li', { class: x.contrary ? 'contrary' : null, 'data-action': x.id },
      `${ACTION_TEXT[x.kind]} ${when(x.at)}`,
      x.method ? ` ${METHOD_TEXT[x.method]}` : '', x.acted_by ? ` by ${x.acted_by}` : '', x.office ? ` (${x.office})` : '',
      x.ice_reason_text ? ` — ICE: “${x.ice_reason_text}”` : '',
      `; recorded by ${x.recorded_by}`,
      x.contrary ? [' ', el('strong', { class: 'flag', text: `Contrary to the outcome in force (${OUTCOME_TEXT[x.outcome_in_force] || 'not decided'})` }), `: “${x.reason}”`] : [])))
    : el('p', { class: 'muted', text: 'Nothing recorded yet.' });
  box.replaceChildren(items);
  if (!writer()) return;
  const form = el('form', { id: 'action-form', novalidate: true },
    el('label', { for: 'act-kind', text: 'What was done' }),
    el('select', { id: 'act-kind', name: 'kind' }, Object.entries(ACTION_TEXT).map(([v, t]) => el('option', { value: v, text: t }))),
    el('label', { for: 'act-at', text: 'When' }),
    el('input', { type: 'datetime-local', id: 'act-at', name: 'at', value: nowLocal() }),
    el('label', { for: 'act-method', text: 'How ICE was told (release date only)' }),
    el('select', { id: 'act-method', name: 'method' }, el('option', { value: '', text: '—' }),
      Object.entries(METHOD_TEXT).map(([v, t]) => el('option', { value: v, text: t }))),
    el('label', { for: 'act-by', text: 'Who did it (required when ICE was told)' }),
    el('input', { type: 'text', id: 'act-by', name: 'acted_by', autocomplete: 'off' }),
    el('label', { for: 'act-office', text: 'ICE office that took custody (transfer only)' }),
    el('input', { type: 'text', id: 'act-office', name: 'office', autocomplete: 'off' }),
    el('p', { class: 'hint', text: supervisor()
      ? 'An action against the outcome in force is recorded and flagged, with your reason.'
      : 'An action against the outcome in force can be recorded only by a supervisor, with a reason.' }),
    supervisor() ? [el('label', { for: 'act-reason', text: 'Reason (required when against the outcome in force)' }),
      el('textarea', { id: 'act-reason', name: 'reason', maxlength: '2000' })] : null,
    errorBox(),
    el('button', { type: 'submit', text: 'Record what was done' }));
  onSubmit(form, async () => {
    const body = { kind: form.kind.value, at: localToApi(form.at.value) };
    if (form.method.value) body.method = form.method.value;
    for (const k of ['acted_by', 'office', 'reason']) if (form[k] && form[k].value.trim()) body[k] = form[k].value.trim();
    const x = await api('POST', `/api/v1/requests/${id}/actions`, body);
    return x.contrary ? 'Recorded, and flagged as contrary to the outcome in force.' : 'Recorded.';
  });
  box.append(form);
}

async function load() {
  const [rq, st] = await Promise.all([api('GET', `/api/v1/requests/${id}`), api('GET', `/api/v1/requests/${id}/notices`)]);
  renderSummary(rq, st);
  renderDecisionSection(rq);
  renderOverride(rq);
  renderActions(rq);
  renderNotices(st);
  renderInterview(st);
  renderRelease(st);
  renderIntent(st);
  document.getElementById('audit-link').href = `audit.html?id=${id}`;
}

frame('').then(async (who) => {
  me = who;
  if (!id) { say('No request given: open one from the queue.', 'error'); return; }
  try { await load(); } catch (e) { say(problemText(e), 'error'); }
}, (e) => say(problemText(e), 'error'));
