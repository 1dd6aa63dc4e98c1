// outcome-in-force.test.mjs: the outcome in force on the console's screens, in a real browser
// (playwright-core driving Debian's chromium; axe-core on every page). A notification request
// the engine permits (a 7282.5(a) conviction on record) is overridden to prohibited by a
// supervisor: the person page, the queue and the request page must show "Prohibited" as the
// outcome in force, with the engine's "Permitted" only as the engine's, labelled so. A transfer
// recorded against the override by a supervisor, with a reason, is flagged on each of them.
// Forms a role cannot submit are not shown to it: the override form to a clerk, the action and
// override forms and the intake link to an auditor.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { setup, axeClean, shot, launch, roleRunner, ART, expectStatus } from './lib.mjs';

let env, browser, person, rid;

before(async () => {
  fs.mkdirSync(ART, { recursive: true });
  env = await setup();
  browser = await launch();
  browser.context.setDefaultTimeout(30000);
  // CB-0001's person has a PC 211 felony conviction (a serious and violent felony, PC
  // 1192.7(c)(19), 667.5(c)(9)): 7282.5(a)(1) lets the agency answer a notification request.
  const r = await env.api.post('/api/v1/bookings/CB-0001/requests', { type: 'notification', form: 'I-247A' });
  expectStatus(r, 201, 'notification request');
  assert.match(r.json.outcome, /^permitted/, 'the engine permits the notification');
  const list = await env.api.get('/api/v1/requests?booking_no=CB-0001');
  rid = list.json.requests[0].id;
  person = (await env.api.get('/api/v1/bookings/CB-0001')).json.person.id;
});

after(async () => {
  if (browser) await browser.close();
  if (env) await env.close();
});

// A page signed in as role, watched for errors; fn(page) runs the test; problems fail it.
const asRole = roleRunner(() => browser, () => env);

const url = (p) => `${env.srv.base}/console/${p}`;
const badge = (p, scope) => p.locator(`${scope} .outcome-in-force .badge`).first().innerText();

test('a supervisor overrides to prohibited; every screen shows Prohibited as the outcome in force', async () => {
  await asRole('supervisor', async (p) => {
    await p.goto(url(`request.html?id=${rid}`));
    const form = p.locator('#override-form');
    await form.getByLabel('New outcome').selectOption('prohibited');
    await form.getByLabel('Reason').fill('local policy: no notifications without a supervisor');
    await form.getByRole('button', { name: 'Record override' }).click();
    await p.locator('#status', { hasText: 'Override recorded' }).waitFor();
    assert.equal(await badge(p, '#summary'), 'Prohibited');
  });
  await asRole('clerk', async (p) => {
    await p.goto(url(`person.html?id=${person}`));
    const row = p.locator(`tr[data-request="${rid}"]`);
    await row.waitFor();
    assert.equal(await badge(p, `tr[data-request="${rid}"]`), 'Prohibited', 'person page: outcome in force');
    const cell = await row.locator('td').nth(2).innerText();
    assert.doesNotMatch(cell.split('overridden')[0], /Permitted/, 'the outcome in force is not Permitted');
    assert.match(cell, /overridden; the engine's outcome: Permitted/, "the engine's outcome, labelled as the engine's");
    await axeClean(p, 'person page after an override');
    await shot(p, 'person-outcome-in-force');
    await p.goto(url('queue.html'));
    await p.locator(`a[href="request.html?id=${rid}"]`).waitFor();
    const qrow = p.locator('tr', { has: p.locator(`a[href="request.html?id=${rid}"]`) });
    assert.equal(await qrow.locator('.outcome-in-force .badge').innerText(), 'Prohibited', 'queue: outcome in force');
    await p.goto(url(`request.html?id=${rid}`));
    await p.locator('#summary .outcome-in-force').waitFor();
    assert.equal(await badge(p, '#summary'), 'Prohibited', 'request page: outcome in force');
    // A clerk cannot override: no override form is shown to it.
    assert.equal(await p.locator('#override-form').count(), 0, 'no override form for a clerk');
    await p.locator('#override', { hasText: 'A supervisor or an administrator may override' }).waitFor();
    await axeClean(p, 'request page as clerk after an override');
  });
});

test('an action against the outcome in force: refused to a clerk, recorded by a supervisor with a reason, flagged', async () => {
  // The release date told to ICE by phone, on the request's page; with a reason when given.
  const notify = async (p, reason) => {
    await p.goto(url(`request.html?id=${rid}`));
    const form = p.locator('#action-form');
    await form.getByLabel('What was done').selectOption('notified');
    await form.getByLabel('How ICE was told').selectOption('phone');
    await form.getByLabel('Who did it').fill('Deputy Test');
    if (reason) await form.getByLabel('Reason').fill(reason);
    await form.getByRole('button', { name: 'Record what was done' }).click();
    return form;
  };
  await asRole('clerk', async (p) => {
    const form = await notify(p, null);
    await form.locator('.form-error', { hasText: 'contrary to the outcome in force (prohibited)' }).waitFor();
  }, [/\/api\/v1\/requests\/\d+\/actions$/]);
  await asRole('supervisor', async (p) => {
    await notify(p, 'the release date was already public');
    await p.locator('#status', { hasText: 'flagged as contrary' }).waitFor();
    await p.locator('#actions li.contrary', { hasText: 'Contrary to the outcome in force (Prohibited)' }).waitFor();
    await p.locator('#summary .contrary', { hasText: '1 action contrary to it' }).waitFor();
    await axeClean(p, 'request page with a contrary action');
    await shot(p, 'request-contrary-action');
    await p.goto(url(`person.html?id=${person}`));
    await p.locator(`tr[data-request="${rid}"] .contrary`, { hasText: 'contrary' }).waitFor();
  });
});

test('an auditor sees no form it cannot submit', async () => {
  await asRole('auditor', async (p) => {
    await p.goto(url(`request.html?id=${rid}`));
    await p.locator('#summary .outcome-in-force').waitFor();
    await p.locator('#actions li').first().waitFor();
    for (const f of ['#override-form', '#action-form', '#release-form', '#intent-form']) {
      assert.equal(await p.locator(f).count(), 0, `no ${f} for an auditor`);
    }
    await p.goto(url(`person.html?id=${person}`));
    await p.locator(`tr[data-request="${rid}"]`).waitFor();
    assert.equal(await p.getByRole('link', { name: /Record a request about/ }).count(), 0, 'no intake link for an auditor');
    assert.equal(await p.locator('form').count(), 0, 'no form on the person page for an auditor');
  });
});
