// audit.js: the audit trail of one request (GET /api/v1/requests/{id}/audit): who did what,
// when, with the entry's payload and hash.
import { api, el, frame, when, say, problemText, idParam } from './app.js';

const id = idParam();

const ACTION_TEXT = {
  'request.receive': 'Request recorded', 'decision.record': 'Decision recorded', 'override.record': 'Override recorded',
  'notice.generate': 'Notice generated', 'notice.serve': 'Notice served', 'consent.record': 'Interview answer recorded',
  'intent.record': 'Intent stated', 'release.disclose': 'Release date given to immigration authorities',
  'interview.record': 'Interview step recorded', 'warrant.record': 'Judicial warrant recorded',
};

function summary(e) {
  const p = e.payload || {};
  switch (e.action) {
    case 'decision.record': return `version ${p.version}: ${p.outcome}`;
    case 'override.record': return `${p.outcome}: “${p.reason}”`;
    case 'notice.generate': return `${p.kind} in ${p.language} for ${p.recipient}${p.recipient_name ? ` (${p.recipient_name})` : ''}`;
    case 'notice.serve': return `${p.kind} (${p.language}) to ${p.served_to}, ${String(p.method).replace('_', ' ')}`;
    case 'consent.record': return `${p.answer}${p.attorney ? `, attorney ${p.attorney}` : ''}`;
    case 'intent.record': return p.intent;
    case 'release.disclose': return `release ${p.release_date}, told ${p.told_at}`;
    case 'interview.record': return `${p.status}${p.at ? ` for ${p.at}` : ''}`;
    case 'warrant.record': return `${p.court}, ${p.judge}`;
    case 'request.receive': return `${p.type}${p.form ? ` (${p.form})` : ''}`;
    default: return '';
  }
}

async function load() {
  const r = await api('GET', `/api/v1/requests/${id}/audit`);
  document.getElementById('title').textContent = `Audit trail of request #${id}`;
  document.getElementById('trail').replaceChildren(
    el('p', {}, el('a', { href: `request.html?id=${id}`, text: `Back to request #${id}` })),
    el('table', { id: 'audit' },
      el('caption', { text: `${r.entries.length} entries` }),
      el('thead', {}, el('tr', {}, ['Seq', 'When', 'User', 'Action', 'What', 'Hash'].map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, r.entries.map((e) => el('tr', { 'data-action': e.action },
        el('td', { text: e.seq }), el('td', { text: when(e.at) }), el('td', { class: 'actor', text: e.actor }),
        el('td', { text: ACTION_TEXT[e.action] || e.action }), el('td', { text: summary(e) }),
        el('td', {}, el('code', { text: `${String(e.hash).slice(0, 12)}…` })))))));
}

frame('').then(async () => {
  if (!id) { say('No request given.', 'error'); return; }
  try { await load(); } catch (e) { say(problemText(e), 'error'); }
}, (e) => say(problemText(e), 'error'));
