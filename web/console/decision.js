// decision.js: a decision as the engine wrote it (docs/case-format.md): outcome, the provisions
// it rests on, the record facts that met them (with the lookback arithmetic), the conditions
// that attach, what is missing for a review, conflicts with agency policy, and the plain
// explanation.
import { el, outcomeBadge } from './app.js';

function list(items, empty) {
  if (!items || items.length === 0) return el('p', { class: 'muted', text: empty });
  return el('ul', {}, items.map((s) => el('li', { text: typeof s === 'string' ? s : JSON.stringify(s) })));
}

function factText(q) {
  const parts = [];
  if (q.citation) parts.push(q.citation);
  if (q.offense) parts.push(`(${q.offense})`);
  if (q.level) parts.push(q.level);
  if (q.date) parts.push(`on ${q.date}`);
  if (q.serious_felony) parts.push(`serious felony: ${q.serious_felony}`);
  if (q.violent_felony) parts.push(`violent felony: ${q.violent_felony}`);
  if (q.category) parts.push(`category: ${q.category}`);
  if (q.lookback) {
    const l = q.lookback;
    parts.push(`within ${l.years} years counted back from ${l.until} (after ${l.after}): ${l.inside ? 'inside' : 'outside'}`);
  }
  if (parts.length === 0 && q.fact) parts.push(q.fact);
  return parts.join(', ');
}

// A <div> showing decision d; headingLevel is that of the sub-headings (3 by default).
export function renderDecision(d, headingLevel = 3) {
  const h = (t) => el(`h${headingLevel}`, { text: t });
  const box = el('div', { class: 'decision' });
  box.append(el('p', {}, 'Outcome: ', outcomeBadge(d.outcome), d.ruleset ? ` under the law in force (${d.ruleset})` : ''));
  box.append(h('Provisions'), list(d.basis, 'None listed.'));
  box.append(h('Qualifying record facts'));
  if (d.qualifying && d.qualifying.length) {
    box.append(el('table', {},
      el('caption', { text: 'The facts of the record that met each provision' }),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'Provision' }), el('th', { scope: 'col', text: 'Fact' }))),
      el('tbody', {}, d.qualifying.map((q) => el('tr', {}, el('td', { text: q.provision }), el('td', { text: factText(q) }))))));
  } else {
    box.append(el('p', { class: 'muted', text: 'No record fact was needed or none qualified.' }));
  }
  box.append(h('Conditions'), list(d.conditions, 'No conditions attach.'));
  if (d.missing && d.missing.length) box.append(h('Missing facts (needed to decide)'), list(d.missing, ''));
  if (d.conflicts && d.conflicts.length) box.append(h('Conflicts with agency policy'), list(d.conflicts, ''));
  if (d.explanation) box.append(h('Explanation'), el('p', { text: d.explanation }));
  return box;
}
