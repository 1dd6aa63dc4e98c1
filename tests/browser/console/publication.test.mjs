// publication.test.mjs: the console's public-portal page (publication.html) and the warning on
// a request the engine permits because release dates are public, in a real browser
// (playwright-core driving Debian's chromium; axe-core on every state). An admin sees each
// field with its legal effect as the API states it; choosing the scheduled release date shows
// the Gov. Code 7284.6(a)(1)(C) warning before saving, and saving makes release dates public
// (the agency flag follows). A supervisor overriding a notification request the engine
// permits only for that reason sees the same warning; not on one it prohibits. A clerk is
// refused the page and has no link to it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { setup, axeClean, shot, launch, roleRunner, ART, expectStatus } from './lib.mjs';

let env, browser;

before(async () => {
  fs.mkdirSync(ART, { recursive: true });
  env = await setup();
  browser = await launch();
  browser.context.setDefaultTimeout(30000);
});

after(async () => {
  if (browser) await browser.close();
  if (env) await env.close();
});

const asRole = roleRunner(() => browser, () => env);
const url = (p) => `${env.srv.base}/console/${p}`;
const setPublished = async (published) => expectStatus(await env.api.put('/api/v1/agency/publication',
  { published, recently_released_days: 7, release_dates_public_elsewhere: false }), 200, 'policy');

test('an admin sees every field with its legal effect; release dates public only with the warning', async () => {
  await setPublished(['booking_no', 'name', 'custody_status']);
  const api = (await env.api.get('/api/v1/agency/publication')).json;
  await asRole('admin', async (p) => {
    await p.goto(url('publication.html'));
    await p.locator('#publication').waitFor();
    for (const f of api.fields) {
      const box = p.locator(`#f-${f.field}`);
      assert.equal(await box.isChecked(), f.published, `${f.field}: checked as published`);
      assert.equal(await p.locator(`#e-${f.field}`).innerText(), f.legal_effect, `${f.field}: its legal effect`);
      assert.equal(await box.getAttribute('aria-describedby'), `e-${f.field}`, `${f.field}: the effect describes the box`);
    }
    assert.equal(await p.locator('#release-warning').isVisible(), false, 'no warning while release dates are not public');
    await axeClean(p, 'publication page');
    await shot(p, 'publication-page');

    await p.getByLabel('Scheduled release date and time').check();
    await p.locator('#release-warning').waitFor();
    assert.match(await p.locator('#release-warning').innerText(), /7284\.6\(a\)\(1\)\(C\)/);
    assert.match(await p.locator('#release-warning').innerText(), /immigration authorities included/);
    await axeClean(p, 'publication page with the warning');
    await shot(p, 'publication-warning');
    await p.getByRole('button', { name: 'Save what is published' }).click();
    await p.locator('#status', { hasText: 'Release dates are now public' }).waitFor();
  });
  const s = (await env.api.get('/api/v1/agency/settings')).json;
  assert.equal(s.release_dates_public, true, 'the agency flag followed the field');

  await asRole('admin', async (p) => {
    await p.goto(url('publication.html'));
    await p.locator('#release-warning').waitFor();
    await p.getByLabel('Scheduled release date and time').uncheck();
    assert.equal(await p.locator('#release-warning').isVisible(), false, 'the warning goes with the field');
    await p.getByLabel(/publishes release dates somewhere else/).check();
    assert.equal(await p.locator('#release-warning').isVisible(), true, 'published elsewhere: the warning again');
    await p.getByLabel(/publishes release dates somewhere else/).uncheck();
    await p.getByLabel(/Days a release stays listed/).fill('99');
    await p.getByRole('button', { name: 'Save what is published' }).click();
    await p.locator('#publication .form-error', { hasText: /recently_released_days|1\.\.30|30/ }).waitFor();
    await p.getByLabel(/Days a release stays listed/).fill('7');
    await p.getByRole('button', { name: 'Save what is published' }).click();
    await p.locator('#status', { hasText: 'Release dates are not public' }).waitFor();
  }, [/\/api\/v1\/agency\/publication/]);
  assert.equal((await env.api.get('/api/v1/agency/settings')).json.release_dates_public, false);
});

test('a supervisor overriding a notification permitted by public release dates sees the warning', async () => {
  await setPublished(['booking_no', 'name', 'custody_status', 'scheduled_release']);
  // CB-0002's person has no conviction: only public release dates permit telling ICE.
  const r = await env.api.post('/api/v1/bookings/CB-0002/requests', { type: 'notification', form: 'I-247A' });
  expectStatus(r, 201, 'notification request');
  assert.match(r.json.outcome, /^permitted/);
  const permitted = (await env.api.get('/api/v1/requests?booking_no=CB-0002')).json.requests[0].id;
  await asRole('supervisor', async (p) => {
    await p.goto(url(`request.html?id=${permitted}`));
    const w = p.locator('#override-form #release-warning');
    await w.waitFor();
    assert.match(await w.innerText(), /makes release dates public/);
    assert.match(await w.innerText(), /7284\.6\(a\)\(1\)\(C\)/);
    await axeClean(p, 'request page with the release-date warning');
    await shot(p, 'override-release-warning');
  });
  await setPublished(['booking_no', 'name', 'custody_status']);
  const r2 = await env.api.post('/api/v1/bookings/CB-0002/requests', { type: 'notification', form: 'I-247A', confirm_new: true });
  expectStatus(r2, 201, 'second notification request');
  assert.equal(r2.json.outcome, 'prohibited');
  const list = (await env.api.get('/api/v1/requests?booking_no=CB-0002')).json.requests;
  const prohibited = list.find((q) => q.id !== permitted).id;
  await asRole('supervisor', async (p) => {
    await p.goto(url(`request.html?id=${prohibited}`));
    await p.locator('#override').waitFor();
    await p.locator('#summary .badge').first().waitFor();
    assert.equal(await p.locator('#release-warning').count(), 0, 'no warning where release dates played no part');
  });
});

test('a clerk is refused the page and has no link to it', async () => {
  await asRole('clerk', async (p) => {
    await p.goto(url('publication.html'));
    await p.locator('#alert', { hasText: 'Only an administrator' }).waitFor();
    assert.equal(await p.locator('nav a[href="publication.html"]').count(), 0);
    assert.equal(await p.locator('#publication').isVisible(), false);
  });
});
