// console-job.test.mjs: the console as a clerk and a supervisor use it through a day, in a real
// browser with axe-core on every page: a clerk finds a booking by name, booking number and date
// of birth and records a release and a transfer for an agency without a JMS feed; records one
// I-247A as the hold and the notification it asks for, in one step; a second click on "Record
// and decide" shows the request already recorded with its link instead of recording it again,
// and "This is a new request" records it; the queue's filters apply as soon as they change and
// its pages move without a separate "apply". Screenshots go to build/browser-artifacts/console/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { setup, watch, axeClean, shot, signIn, launch, ART, expectStatus } from './lib.mjs';

let env, browser;

before(async () => {
  fs.mkdirSync(ART, { recursive: true });
  env = await setup();
  browser = await launch();
  browser.context.setDefaultTimeout(30000);
  // More people for the search and the queue's pages: 30 notification requests.
  for (let i = 0; i < 30; i++) {
    const no = `JB-${String(i).padStart(4, '0')}`;
    expectStatus(await env.api.post('/api/v1/bookings', {
      booking_no: no, booked_at: '2026-01-10', facility: 'Test Main Jail',
      person: { name: `Jobperson, N${String(i).padStart(2, '0')}`, date_of_birth: '1985-07-0' + (1 + (i % 9)), local_id: `JBP-${i}` },
    }), 201, `booking ${no}`);
    expectStatus(await env.api.post(`/api/v1/bookings/${no}/requests`, { type: i % 2 ? 'notification' : 'hold' }), 201, `request ${no}`);
  }
});

after(async () => Promise.all([browser?.close(), env?.close()]));

// fn(page) on a fresh page signed in as role; what the page did wrong (but the API answers in
// expected) fails the test.
async function asRole(role, fn, expected = []) {
  const page = await browser.context.newPage();
  const seen = watch(page, env.srv.base, expected);
  await browser.context.clearCookies();
  await signIn(page, env.srv.base, env.users[role])
    .then(() => fn(page))
    .then(() => assert.deepEqual(seen.problems(), [], `page problems as ${role}`))
    .finally(() => page.close());
}

const url = (p) => `${env.srv.base}/console/${p}`;

test('a clerk finds a booking by name, number and birth date and records a transfer and a release', async () => {
  await asRole('clerk', async (p) => {
    await p.getByRole('link', { name: 'Bookings' }).click();
    await p.waitForURL(/bookings\.html/);
    await axeClean(p, 'bookings page');
    // Nothing to search by: the form says so.
    await p.getByRole('button', { name: 'Search' }).click();
    await p.locator('#search .form-error', { hasText: 'name, a booking number or a date of birth' }).waitFor();
    await p.getByLabel('Name').fill('testperson, al');
    await p.getByRole('button', { name: 'Search' }).click();
    await p.locator('#results tbody tr').first().waitFor();
    assert.equal(await p.locator('#results tbody tr').count(), 1);
    assert.match(await p.locator('#results tbody').innerText(), /CB-0001[\s\S]*Testperson, Alpha[\s\S]*1990-02-03/);
    await axeClean(p, 'bookings search results');
    await p.getByLabel('Name').fill('');
    await p.getByLabel('Date of birth').fill('1985-07-03');
    await p.getByRole('button', { name: 'Search' }).click();
    await p.locator('#results caption', { hasText: /booking\(s\)/ }).waitFor();
    const born = await p.locator('#results tbody th').allInnerTexts();
    assert.ok(born.length >= 3 && born.every((n) => /^JB-/.test(n)), `born 1985-07-03: ${born}`);
    await p.getByLabel('Date of birth').fill('');
    await p.getByLabel('Booking number').fill('CB-0002');
    await p.getByRole('button', { name: 'Search' }).click();
    await p.locator('#results tbody th', { hasText: 'CB-0002' }).waitFor();

    // A transfer to another facility, then a release.
    await p.getByRole('button', { name: 'Release or transfer' }).click();
    await p.locator('#change-h:focus').waitFor();
    await axeClean(p, 'release and transfer forms');
    await shot(p, 'bookings-forms');
    await p.getByLabel('New facility').fill('Test Annex');
    await p.getByRole('button', { name: 'Record the transfer' }).click();
    await p.locator('#status', { hasText: 'Transfer of Testperson, Bravo (CB-0002) to Test Annex recorded.' }).waitFor();
    await p.locator('#results td', { hasText: 'Test Annex' }).waitFor();
    await p.getByRole('button', { name: 'Release or transfer' }).click();
    await p.getByRole('button', { name: 'Record the release' }).click();
    await p.locator('#release .form-error', { hasText: 'choose a reason' }).waitFor();
    await p.getByLabel('Reason').selectOption('bail posted');
    await p.getByRole('button', { name: 'Record the release' }).click();
    await p.locator('#status', { hasText: 'Release of Testperson, Bravo (CB-0002) recorded.' }).waitFor();
    await p.locator('#results td', { hasText: /^Released/ }).waitFor();
    assert.equal(await p.getByRole('button', { name: 'Release or transfer' }).count(), 0, 'no release form for a released booking');
    await axeClean(p, 'bookings after the release');
  });
  const b = await env.api.get('/api/v1/bookings/CB-0002');
  assert.equal(b.json.status, 'released');
  assert.equal(b.json.facility, 'Test Annex');
  assert.equal(b.json.release_reason, 'bail posted');
});

test('an auditor searches but is shown no release or transfer form', async () => {
  await asRole('auditor', async (p) => {
    await p.goto(url('bookings.html?booking_no=CB-0001'));
    await p.locator('#results tbody th', { hasText: 'CB-0001' }).waitFor();
    assert.equal(await p.getByRole('button', { name: 'Release or transfer' }).count(), 0);
    await axeClean(p, 'bookings as auditor');
  });
});

test('one I-247A is recorded as its hold and notification; a repeat is shown, then confirmed new', async () => {
  await asRole('clerk', async (p) => {
    await p.goto(url('intake.html?booking=CB-0001'));
    await p.getByLabel('Type of request').selectOption('hold');
    await p.getByLabel('Federal form').selectOption('I-247A');
    await p.getByLabel('Notification of release').check();
    await axeClean(p, 'intake with the form\'s requests');
    await p.getByRole('button', { name: 'Record and decide' }).click();
    const sec = p.locator('#decision');
    await sec.getByRole('heading', { name: /^Request #\d+$/ }).nth(1).waitFor();
    const links = await sec.getByRole('link', { name: /^Open request #\d+/ }).count();
    assert.equal(links, 2, 'two requests recorded');
    await shot(p, 'intake-form-two-requests');

    // The second click: the same hold, the same form.
    await p.getByLabel('Notification of release').uncheck();
    await p.getByRole('button', { name: 'Record and decide' }).click();
    const dup = p.locator('#duplicate');
    await dup.waitFor({ state: 'visible' });
    await p.locator('#duplicate-h:focus').waitFor();
    const link = dup.getByRole('link', { name: /^Open request #\d+, already recorded$/ });
    const href = await link.getAttribute('href');
    assert.match(href, /^request\.html\?id=\d+$/);
    assert.match(await dup.innerText(), /same type and form was received/);
    await axeClean(p, 'intake showing the request already recorded');
    await shot(p, 'intake-duplicate');
    const before = (await env.api.get('/api/v1/requests?booking_no=CB-0001&type=hold')).json.requests.length;
    await p.getByRole('button', { name: 'This is a new request: record it' }).click();
    // The one request's answer replaces the form's two.
    await sec.getByRole('link', { name: 'Open the request: notices, consent and override' }).waitFor();
    assert.equal(await dup.isVisible(), false);
    const after = (await env.api.get('/api/v1/requests?booking_no=CB-0001&type=hold')).json.requests.length;
    assert.equal(after, before + 1, 'recorded once confirmed');
  }, [/\/api\/v1\/bookings\/CB-0001\/requests/]);
});

test('the queue filters as soon as a filter changes and moves page by page', async () => {
  await asRole('supervisor', async (p) => {
    await p.locator('#queue caption').waitFor();
    assert.equal(await p.getByRole('button', { name: /^Apply/ }).count(), 0, 'no apply button');
    assert.match(await p.locator('#queue caption').innerText(), /^Requests 1–25 of \d+/);
    assert.equal(await p.locator('#queue tbody tr').count(), 25);
    await axeClean(p, 'queue with pages');
    await p.locator('#pager').getByRole('button', { name: 'Next page' }).click();
    await p.locator('#queue caption', { hasText: /^Requests 26–/ }).waitFor();
    assert.match(p.url(), /page=2/);
    // Changing a filter applies it at once (no submit) and goes back to the first page.
    await p.getByLabel('Type of request').selectOption('notification');
    await p.locator('#queue caption', { hasText: /^Requests 1–\d+ of \d+ \(of \d+ open\)/ }).waitFor();
    const types = await p.locator('#queue tbody td:nth-child(3)').allInnerTexts();
    assert.ok(types.length > 0 && types.every((t) => /^Notification of release #/.test(t)), types.join('|'));
    assert.match(p.url(), /type=notification/);
    await p.getByLabel('Decision').selectOption('review');
    await p.locator('#queue', { hasText: /No open request matches these filters|Requests 1–/ }).waitFor();
    await axeClean(p, 'queue filtered');
    await shot(p, 'queue-filtered');
    // The address keeps the filters: a reload shows the same list.
    await p.reload();
    assert.equal(await p.getByLabel('Type of request').inputValue(), 'notification');
    assert.equal(await p.getByLabel('Decision').inputValue(), 'review');
  });
});

test('the settings page shows the agency settings the server was started with', async () => {
  await asRole('admin', async (p) => {
    await p.goto(url('settings.html'));
    const box = p.locator('#configured');
    await box.waitFor({ state: 'visible' });
    const text = await box.innerText();
    assert.match(text, /Who states the agency's intent\s+Clerks, supervisors and admins/);
    assert.match(text, /duplicate within\s+24 hours/);
    assert.match(text, /8 hours after receipt/);
    await axeClean(p, 'settings with the configured settings');
  });
});
