// public-page.test.mjs: the public page (web/public/) in Debian's chromium against a real
// `holdcheck serve` on a fresh database, with a local SMTP sink and webhook receiver.
// Run: HOLDCHECK=build/holdcheck node --test --test-concurrency=1 tests/browser/public-page.test.mjs
// (or `make check-browser`). Every page state is checked with axe-core (zero violations) and
// saved as a screenshot under build/browser-artifacts/. docs/browser-tests.md lists the tests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { launch, watch, axe, formatViolations, screenshot } from './lib/browser.mjs';
import { makeDb, addUser, startServer, client, expectStatus, tempDir } from './lib/holdcheck.mjs';
import { startSmtpSink, linksIn } from './smtp-sink.mjs';
import { startWebhookReceiver } from './webhook-receiver.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const BIN = path.resolve(process.env.HOLDCHECK || path.join(repo, 'build/holdcheck'));
const ARTIFACTS = path.resolve(process.env.BROWSER_ARTIFACTS || path.join(repo, 'build/browser-artifacts'));
const EN = JSON.parse(fs.readFileSync(path.join(repo, 'web/public/i18n/en.json'), 'utf8'));
const ES = JSON.parse(fs.readFileSync(path.join(repo, 'web/public/i18n/es.json'), 'utf8'));
// The six languages of the TRUTH Act notices, as the page names them (web/public/js/i18n.js).
const LANGS = ['en', 'es', 'zh-Hant', 'tl', 'vi', 'ko'];
const DICT = Object.fromEntries(LANGS.map((l) => [l, JSON.parse(fs.readFileSync(path.join(repo, `web/public/i18n/${l}.json`), 'utf8'))]));
// The agency's contacts, set in the server's configuration and shown in every language.
const AGENCY = {
  agency_name: "Example County Sheriff's Office",
  agency_phone: '(555) 010-0100',
  victim_services_phone: '+1 555 010 0199',
  victim_services_url: 'https://sheriff.example.gov/victim-services',
};
const ALL_FIELDS = ['booking_no', 'name', 'booking_date', 'charges', 'bail', 'next_court_date', 'facility',
  'custody_status', 'scheduled_release', 'recently_released'];
const DELIVERY_MS = 30000; // how long a delivery may take to arrive

let dir, db, server, admin, pub, smtp, hook, browser;
const fixtures = {};

// ------------------------------------------------------------------------------ helpers

function isoDate(daysFromNow) {
  return new Date(Date.now() + daysFromNow * 86400000).toISOString().slice(0, 10);
}

async function setPolicy(published, days = 7) {
  expectStatus(await admin.put('/api/v1/agency/publication',
    { published, recently_released_days: days, release_dates_public_elsewhere: false }), 200, 'PUT publication');
}

async function newPage(opts) {
  const page = await browser.context.newPage();
  if (opts?.viewport) await page.setViewportSize(opts.viewport);
  page.problems = watch(page, server.base);
  return page;
}

async function open(page, url) {
  await page.goto(server.base + url);
  await page.waitForSelector('html[data-ready="true"]');
}

// Runs an action that changes the view and waits until the page has drawn the new one.
async function navigates(page, action) {
  const before = await page.evaluate(() => Number(document.documentElement.dataset.nav || 0));
  await action();
  await page.waitForFunction((n) => Number(document.documentElement.dataset.nav || 0) > n, before);
}

// Every page state: axe-core finds nothing, nothing broke in the page, and a screenshot is kept.
async function checkState(page, name) {
  const violations = await axe(page);
  await screenshot(page, ARTIFACTS, name);
  assert.equal(violations.length, 0, `axe-core violations on "${name}":\n${formatViolations(violations)}`);
  assert.deepEqual(page.problems.problems(), [], `page problems on "${name}"`);
}

const activeId = (page) => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);
const resultTitles = (page) => page.$$eval('#results-list > li > :first-child', (els) => els.map((e) => e.textContent));
const text = (page, sel) => page.$eval(sel, (e) => e.textContent.trim());

async function search(page, fields) {
  for (const [sel, v] of Object.entries({ '#q-last': '', '#q-first': '', '#q-booking': '', '#q-dob': '', ...fields })) {
    await page.fill(sel, v);
  }
  await navigates(page, () => page.click('#search-submit'));
}

// HMAC-SHA256 over TIMESTAMP "." BODY with the secret's 32 bytes (docs/public-api.md).
function checkSignature(req, secret) {
  const ts = req.headers['x-holdcheck-timestamp'];
  const sig = req.headers['x-holdcheck-signature'];
  assert.ok(ts && sig, `webhook lacks timestamp or signature headers: ${JSON.stringify(req.headers)}`);
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'hex');
  assert.equal(key.length, 32, 'the secret is 32 bytes of hex');
  const want = 'sha256=' + crypto.createHmac('sha256', key).update(`${ts}.${req.body}`).digest('hex');
  assert.equal(sig, want, 'webhook signature');
  assert.ok(Math.abs(Date.now() / 1000 - Number(ts)) < 300, 'webhook timestamp is current');
}

// ------------------------------------------------------------------------------ setup

before(async () => {
  assert.ok(fs.existsSync(BIN), `holdcheck binary not found at ${BIN} (set HOLDCHECK)`);
  fs.rmSync(ARTIFACTS, { recursive: true, force: true });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  smtp = await startSmtpSink();
  hook = await startWebhookReceiver();
  dir = tempDir();
  db = await makeDb(BIN, dir, { bookings: 600, seed: 7 });
  const adminToken = await addUser(BIN, db, 'browser-admin', 'admin');
  server = await startServer(BIN, {
    dir, db, settings: {
      smtp_relay: `127.0.0.1:${smtp.port}`,
      smtp_from: 'jail-notices@example.org',
      webhook_allow_private: 'yes',
      delivery_retry_seconds: 1,
      public_status_seconds: 1,
      public_rate: 1000,
      public_burst: 100000,
      dob_searches_per_name: 3,
      ...AGENCY,
    },
  });
  admin = client(server.base, adminToken);
  pub = client(server.base);
  await setPolicy(ALL_FIELDS);

  // Two people whose names differ only by accents, and a known date of birth each.
  const booking = (no, name, dob, localId, facility) => ({
    booking_no: no, booked_at: `${isoDate(-3)}T10:15:00-07:00`, facility, status: 'in_custody',
    scheduled_release: isoDate(40),
    person: { name, date_of_birth: dob, local_id: localId },
    charges: [{ citation: 'PC 211', level: 'felony', status: 'pending' }],
  });
  expectStatus(await admin.post('/api/v1/bookings', booking('WEB-0001', 'Núñez, María', '1985-07-14', 'WEB-P1', 'Example County Central Jail')), 201, 'create WEB-0001');
  expectStatus(await admin.post('/api/v1/bookings', booking('WEB-0002', 'Nunez, Mario', '1990-01-02', 'WEB-P2', 'Example County North Annex')), 201, 'create WEB-0002');
  fixtures.maria = { booking_no: 'WEB-0001', name: 'Núñez, María', dob: '1985-07-14' };
  fixtures.mario = { booking_no: 'WEB-0002', name: 'Nunez, Mario', dob: '1990-01-02' };
  // Two people of one name, booked on different days into different jails.
  const namesake = (no, dob, facility, daysAgo) => ({
    ...booking(no, 'Okonkwo, Chidi', dob, `${no}-P`, facility), booked_at: `${isoDate(-daysAgo)}T09:00:00-07:00`,
  });
  expectStatus(await admin.post('/api/v1/bookings', namesake('WEB-0003', '1961-03-04', 'Example County Central Jail', 20)), 201, 'create WEB-0003');
  expectStatus(await admin.post('/api/v1/bookings', namesake('WEB-0004', '2001-05-06', 'Example County North Annex', 2)), 201, 'create WEB-0004');
  fixtures.twins = [
    { booking_no: 'WEB-0003', booking_date: isoDate(-20), facility: 'Example County Central Jail', dob: '1961-03-04' },
    { booking_no: 'WEB-0004', booking_date: isoDate(-2), facility: 'Example County North Annex', dob: '2001-05-06' },
  ];

  browser = await launch();
});

after(async () => {
  const errs = [];
  for (const stop of [() => browser?.close(), () => server?.stop(), () => smtp?.close(), () => hook?.close()]) {
    try { await stop(); } catch (e) { errs.push(e); }
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  if (errs.length) throw errs[0];
});

// ------------------------------------------------------------------------------ tests

// Every language file has the keys of en.json: tests/public/i18n.test.mjs (make check-public).
test('i18n: every key the page uses exists', () => {
  const web = path.join(repo, 'web/public');
  const html = fs.readFileSync(path.join(web, 'index.html'), 'utf8');
  const js = fs.readdirSync(path.join(web, 'js')).map((f) => fs.readFileSync(path.join(web, 'js', f), 'utf8')).join('\n');
  const used = new Set();
  for (const m of html.matchAll(/data-i18n="([^"]+)"/g)) used.add(m[1]);
  for (const m of html.matchAll(/data-i18n-attr="([^"]+)"/g)) for (const pair of m[1].split(';')) used.add(pair.split(':')[1]);
  for (const m of js.matchAll(/\btt?\('([a-z_]+\.[a-z_.]+)'/g)) used.add(m[1]);
  assert.ok(used.size > 50, `found only ${used.size} keys in use`);
  const exists = (k) => k in EN || (`${k}.one` in EN && `${k}.other` in EN);
  assert.deepEqual([...used].filter((k) => !exists(k)), [], 'keys used by the page but missing');
  // Keys built at run time: the landings, and a label for every field of the record.
  for (const kind of ['confirm', 'unsubscribe']) for (const o of ['working', 'ok', 'unknown', 'error']) {
    for (const part of ['title', 'text']) assert.ok(`landing.${kind}.${o}.${part}` in EN, `landing.${kind}.${o}.${part}`);
  }
  for (const f of ['booking_no', 'booking_date', 'charges', 'bail', 'next_court_date', 'facility', 'custody_status',
    'scheduled_release', 'released_on']) assert.ok(`field.${f}` in EN, `no label for ${f}`);
});

test('home: status line, search form, small files, no layout shift', async () => {
  const page = await newPage();
  const sizes = [];
  page.on('response', async (r) => {
    if (r.url().startsWith(server.base) && !r.url().includes('/api/')) {
      try { sizes.push((await r.body()).length); } catch { /* redirect */ }
    }
  });
  await open(page, '/');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await text(page, 'h1'), EN.h1);
  // The status line names the facilities the API reports.
  const status = expectStatus(await pub.get('/api/v1/public/status'), 200, 'status').json;
  await page.waitForFunction(() => !document.getElementById('status-line').textContent.includes('…'));
  const line = await text(page, '#status-line');
  assert.ok(line.startsWith(EN['status.prefix']), `status line: ${line}`);
  for (const f of status.facilities) assert.ok(line.includes(f.facility), `status line lacks ${f.facility}: ${line}`);
  // Landmarks and the skip link.
  assert.equal(await page.locator('header').count(), 1);
  assert.equal(await page.locator('main#main').count(), 1);
  assert.equal(await page.locator('footer').count(), 1);
  assert.equal(await page.getAttribute('a.skip', 'href'), '#main');
  // Fast: the page's own files are small, and nothing moves once drawn.
  const total = sizes.reduce((a, b) => a + b, 0);
  assert.ok(total < 80 * 1024, `the page's files weigh ${total} bytes`);
  const cls = await page.evaluate(() => new Promise((resolve) => {
    let sum = 0;
    new PerformanceObserver((list) => { for (const e of list.getEntries()) if (!e.hadRecentInput) sum += e.value; })
      .observe({ type: 'layout-shift', buffered: true });
    setTimeout(() => resolve(sum), 300);
  }));
  assert.ok(cls < 0.01, `cumulative layout shift ${cls}`);
  await checkState(page, 'home');
  await page.close();
});

test('search by name ignores case and accents', async () => {
  const page = await newPage();
  await open(page, '/');
  await search(page, { '#q-last': 'nunez' });
  let titles = await resultTitles(page);
  assert.ok(titles.includes(fixtures.maria.name), `"nunez" should find ${fixtures.maria.name}: ${titles}`);
  assert.ok(titles.includes(fixtures.mario.name), `"nunez" should find ${fixtures.mario.name}: ${titles}`);
  assert.equal(await activeId(page), 'results-h', 'focus moves to the results heading');
  assert.equal(await text(page, '#results-count'), EN['results.count.other'].replace('{n}', String(titles.length)));
  await page.waitForFunction(() => document.getElementById('live').textContent.length > 0);
  assert.equal(await text(page, '#live'), await text(page, '#results-count'), 'the count is announced');
  await checkState(page, 'results-name');

  await search(page, { '#q-last': 'NÚÑ', '#q-first': 'maria' });
  titles = await resultTitles(page);
  assert.deepEqual(titles, [fixtures.maria.name]);
  assert.equal(await text(page, '#results-count'), EN['results.count.one']);

  await search(page, { '#q-last': 'nunezzz' });
  assert.deepEqual(await resultTitles(page), []);
  assert.equal(await text(page, '#results-count'), EN['results.none']);
  await checkState(page, 'results-none');
  await page.close();
});

test('namesakes told apart by booking date and facility, never by date of birth', async () => {
  const page = await newPage();
  await open(page, '/');
  await search(page, { '#q-last': 'okonkwo', '#q-first': 'chidi' });
  assert.deepEqual(await resultTitles(page), ['Okonkwo, Chidi', 'Okonkwo, Chidi']);
  const lines = await page.$$eval('#results-list > li', (lis) => lis.map((li) => ({
    booking_date: li.querySelector('[data-field="booking_date"]')?.textContent,
    facility: li.querySelector('[data-field="facility"]')?.textContent,
    text: li.textContent,
  })));
  const fmt = (d) => new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(d + 'T00:00:00Z'));
  const want = fixtures.twins.map((t) => ({
    booking_date: `${EN['field.booking_date']}: ${fmt(t.booking_date)}`,
    facility: `${EN['field.facility']}: ${t.facility}`,
  }));
  assert.deepEqual(lines.map(({ booking_date, facility }) => ({ booking_date, facility })).sort((a, b) => a.facility.localeCompare(b.facility)),
    want.sort((a, b) => a.facility.localeCompare(b.facility)), 'each namesake shows when and where booked');
  assert.notEqual(lines[0].text, lines[1].text, 'the two lines differ');
  for (const l of lines) {
    for (const t of fixtures.twins) {
      assert.ok(!l.text.includes(t.dob.slice(0, 4)), `no birth year in the list: ${l.text}`);
    }
  }
  await checkState(page, 'results-namesakes');
  await page.close();
});

test('a misspelled name: "did you mean" links find the person', async () => {
  const page = await newPage();
  await open(page, '/');
  await search(page, { '#q-last': 'Okonkow' });
  assert.deepEqual(await resultTitles(page), []);
  assert.equal(await text(page, '#results-count'), EN['results.none']);
  assert.equal(await page.isVisible('#suggest'), true, 'suggestions shown');
  assert.equal(await text(page, '#suggest-h'), EN['results.did_you_mean']);
  const links = await page.$$eval('#suggest-list a', (as) => as.map((a) => a.textContent));
  assert.deepEqual(links, ['Okonkwo, Chidi'], 'one name, though two people bear it');
  await checkState(page, 'results-did-you-mean');
  await navigates(page, () => page.click('#suggest-list a'));
  assert.deepEqual(await resultTitles(page), ['Okonkwo, Chidi', 'Okonkwo, Chidi']);
  assert.equal(await page.isVisible('#suggest'), false, 'no suggestions once found');
  assert.equal(await page.inputValue('#q-last'), 'Okonkwo');
  assert.equal(await page.inputValue('#q-first'), 'Chidi');
  await page.close();
});

test('an error clears the previous results', async () => {
  const page = await newPage();
  await open(page, '/');
  await search(page, { '#q-last': 'okonkwo' });
  assert.equal((await resultTitles(page)).length, 2);
  // Refused by the page itself: a first name without a last name.
  await page.fill('#q-last', '');
  await page.fill('#q-first', 'chidi');
  await page.click('#search-submit');
  assert.equal(await text(page, '#error'), EN['search.err_first_only']);
  assert.equal(await page.isVisible('#results'), false, 'the old results are gone');
  assert.deepEqual(await resultTitles(page), []);
  await checkState(page, 'search-error-clears');
  // Refused by the server: a last name without a letter or digit.
  await search(page, { '#q-last': 'okonkwo' });
  assert.equal((await resultTitles(page)).length, 2);
  await search(page, { '#q-last': '!!!' });
  assert.ok((await text(page, '#error')).length > 0, 'the server\'s refusal is shown');
  assert.equal(await page.isVisible('#results'), false, 'the old results are gone');
  assert.deepEqual(await resultTitles(page), []);
  // A misspelling's suggestions go too.
  await search(page, { '#q-last': 'Okonkow' });
  assert.equal(await page.isVisible('#suggest'), true);
  await page.fill('#q-last', '');
  await page.fill('#q-first', 'chidi');
  await page.click('#search-submit');
  assert.equal(await page.isVisible('#suggest'), false, 'the old suggestions are gone');
  await page.close();
});

test('search by booking number', async () => {
  // A booking the API lists, not one this test made.
  const list = expectStatus(await pub.get('/api/v1/public/inmates?limit=50'), 200, 'list').json.inmates;
  const demo = list.find((r) => r.booking_no.startsWith('DEMO-'));
  assert.ok(demo, 'the demo data has a published booking');
  const page = await newPage();
  await open(page, '/');
  await search(page, { '#q-booking': demo.booking_no });
  assert.deepEqual(await resultTitles(page), [demo.name]);
  const href = await page.getAttribute('#results-list a', 'href');
  assert.ok(href.includes(`b=${demo.booking_no}`), href);
  await checkState(page, 'results-booking');

  await search(page, { '#q-booking': 'NO-SUCH-1' });
  assert.deepEqual(await resultTitles(page), []);
  await page.close();
});

test('search by date of birth (with a last name)', async () => {
  const page = await newPage();
  await open(page, '/');
  // With a date of birth the last name is matched whole (docs/public.md, "Abuse").
  await search(page, { '#q-last': 'nunez', '#q-dob': fixtures.maria.dob });
  assert.deepEqual(await resultTitles(page), [fixtures.maria.name]);
  await search(page, { '#q-last': 'Núñez', '#q-dob': fixtures.mario.dob });
  assert.deepEqual(await resultTitles(page), [fixtures.mario.name]);

  // Without a last name the page explains instead of sending a search the API refuses.
  await page.fill('#q-last', '');
  await page.click('#search-submit');
  assert.equal(await text(page, '#error'), EN['search.err_dob_only']);
  assert.equal(await page.getAttribute('#error', 'role'), 'alert');
  assert.equal(await activeId(page), 'q-last');
  assert.equal(await page.getAttribute('#q-last', 'aria-invalid'), 'true');
  await checkState(page, 'search-error-dob');

  // A last name's searches with a date of birth are used up (3 a day here, from everyone):
  // the page says so, and the other searches are not held back.
  await search(page, { '#q-last': 'nunez', '#q-dob': '1999-12-31' });
  assert.deepEqual(await resultTitles(page), []);
  for (const [sel, v] of Object.entries({ '#q-last': 'nunez', '#q-dob': fixtures.maria.dob })) await page.fill(sel, v);
  await page.click('#search-submit');
  await page.waitForFunction((want) => document.querySelector('#error')?.textContent === want,
    EN['search.err_dob_budget']);
  assert.equal(await page.isDisabled('#search-submit'), false, 'the search button is not held back');
  await checkState(page, 'search-error-dob-budget');
  await search(page, { '#q-last': 'nunez' });
  assert.deepEqual((await resultTitles(page)).sort(), [fixtures.maria.name, fixtures.mario.name].sort());
  await page.close();
});

test('results are paged with the API cursor', async () => {
  const api1 = expectStatus(await pub.get('/api/v1/public/inmates?last=testperson'), 200, 'page 1').json;
  assert.ok(api1.next_cursor, 'the demo data has more than one page of Testperson');
  const api2 = expectStatus(await pub.get(`/api/v1/public/inmates?last=testperson&cursor=${encodeURIComponent(api1.next_cursor)}`), 200, 'page 2').json;
  const page = await newPage();
  await open(page, '/');
  await search(page, { '#q-last': 'testperson' });
  assert.deepEqual(await resultTitles(page), api1.inmates.map((r) => r.name));
  assert.equal(await page.isDisabled('#prev'), true);
  await navigates(page, () => page.click('#next'));
  assert.deepEqual(await resultTitles(page), api2.inmates.map((r) => r.name));
  assert.match(await text(page, '#results-count'), new RegExp(`\\b${api1.inmates.length + 1}\\b`));
  assert.match(page.url(), /cursor=/);
  assert.equal(await activeId(page), 'results-h');
  await checkState(page, 'results-page-2');
  await navigates(page, () => page.click('#prev'));
  assert.deepEqual(await resultTitles(page), api1.inmates.map((r) => r.name));
  await navigates(page, () => page.goBack());
  assert.deepEqual(await resultTitles(page), api2.inmates.map((r) => r.name), 'Back returns to page 2');
  await page.close();
});

test('open a result: every published field, nothing else', async () => {
  const page = await newPage();
  await open(page, '/');
  await search(page, { '#q-last': 'nunez', '#q-first': 'maria' });
  await navigates(page, () => page.click(`#results-list a[data-booking="${fixtures.maria.booking_no}"]`));
  assert.equal(await page.getAttribute('html', 'data-view'), 'detail');
  assert.equal(await text(page, '#detail-h'), fixtures.maria.name);
  assert.equal(await activeId(page), 'detail-h', 'focus moves to the person heading');
  assert.match(page.url(), /b=WEB-0001/);
  const rec = expectStatus(await pub.get('/api/v1/public/inmates/WEB-0001'), 200, 'record').json;
  const shown = await page.$$eval('#detail-fields dt', (els) => els.map((e) => e.dataset.field));
  assert.deepEqual(shown, Object.keys(rec).filter((k) => k !== 'name'), 'the fields shown are the fields returned');
  const charge = await page.$eval('#detail-fields dd[data-field="charges"]', (e) => e.textContent);
  assert.ok(charge.includes('PC 211'), charge);
  assert.equal(await page.title(), `${fixtures.maria.name} – ${EN['doc.title']}`);
  await checkState(page, 'detail');
  // Back to the results, by the link and by the browser.
  await navigates(page, () => page.click('#back-link'));
  assert.deepEqual(await resultTitles(page), [fixtures.maria.name]);
  await navigates(page, () => page.goBack());
  assert.equal(await text(page, '#detail-h'), fixtures.maria.name);
  await page.close();
});

test('the page shows only what the policy publishes', async () => {
  await setPolicy(['booking_no', 'booking_date', 'facility', 'custody_status']);
  try {
    const rec = expectStatus(await pub.get('/api/v1/public/inmates/WEB-0001'), 200, 'record').json;
    assert.deepEqual(Object.keys(rec), ['booking_no', 'booking_date', 'facility', 'custody_status']);
    const page = await newPage();
    await open(page, '/?b=WEB-0001');
    assert.equal(await text(page, '#detail-h'), EN['detail.booking_title'].replace('{no}', 'WEB-0001'));
    const shown = await page.$$eval('#detail-fields dt', (els) => els.map((e) => e.dataset.field));
    assert.deepEqual(shown, Object.keys(rec));
    const body = await page.textContent('body');
    assert.ok(!body.includes('Núñez') && !body.includes('PC 211'), 'no unpublished value on the page');
    // Names are not searchable when not published: the name fields are not offered.
    assert.equal(await page.isVisible('#q-last'), false);
    assert.equal(await page.isVisible('#q-booking'), true);
    assert.equal(await text(page, '#search-hint'), EN['search.hint_booking']);
    // Only the events the policy allows are offered (no release dates published).
    assert.equal(await page.isVisible('#ev-release-date'), false);
    assert.equal(await page.isVisible('#ev-advance'), false);
    await checkState(page, 'detail-restricted-policy');
    await page.close();
  } finally {
    await setPolicy(ALL_FIELDS);
  }
});

test('switch language to Spanish and back; the choice persists', async () => {
  const page = await newPage();
  await open(page, '/?b=WEB-0001');
  await page.click('button[data-lang="es"]');
  await page.waitForFunction(() => document.documentElement.lang === 'es');
  assert.equal(await text(page, 'h1'), ES.h1);
  assert.equal(await page.getAttribute('button[data-lang="es"]', 'aria-pressed'), 'true');
  assert.equal(await text(page, '#detail-fields dt[data-field="booking_no"]'), ES['field.booking_no']);
  assert.equal(await text(page, '#sub-submit'), ES['sub.submit']);
  // Every translated element shows the Spanish text.
  const wrong = await page.$$eval('body [data-i18n]', (els, es) => els.filter((e) => e.textContent !== es[e.dataset.i18n]).map((e) => e.dataset.i18n), ES);
  assert.deepEqual(wrong, []);
  await checkState(page, 'detail-es');
  await page.reload();
  await page.waitForSelector('html[data-ready="true"]');
  assert.equal(await page.getAttribute('html', 'lang'), 'es', 'the language survives a reload');
  assert.equal(await text(page, 'h1'), ES.h1);
  await search(page, { '#q-last': 'nunez' });
  assert.match(await text(page, '#results-count'), /^Se encontraron \d+ personas\.$/);
  await checkState(page, 'results-es');
  await page.click('button[data-lang="en"]');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.equal(await text(page, 'h1'), EN.h1);
  assert.match(await text(page, '#results-count'), /people found\.$/, 'the results are redrawn in English');
  await page.reload();
  await page.waitForSelector('html[data-ready="true"]');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.close();
});

// The page in each language of the notices, switched to by its button: <html lang>, the texts
// of that language's file, dates by Intl in that locale, the language kept in the address and
// in every link the page makes (results, the record, back, home), the agency's contacts, and
// axe-core on the home, results and record states of each.
test('six languages: switched by button, carried through search, result and links', async () => {
  const page = await newPage();
  await open(page, '/');
  const fmt = (l, d) => new Intl.DateTimeFormat(l, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(d + 'T00:00:00Z'));
  const langOf = (u) => new URL(u, server.base).searchParams.get('lang');
  for (const l of [...LANGS.slice(1), 'en']) {
    const T = DICT[l];
    if (await page.evaluate(() => document.documentElement.dataset.view) !== 'home') {
      await navigates(page, () => page.click('#home-link'));
    }
    await page.click(`button[data-lang="${l}"]`);
    await page.waitForFunction((want) => document.documentElement.lang === want, l);
    assert.equal(await text(page, 'h1'), T.h1, `${l}: the heading`);
    assert.equal(await text(page, '#search-h'), T['search.heading'], `${l}: a section heading`);
    assert.equal(await page.getAttribute(`button[data-lang="${l}"]`, 'aria-pressed'), 'true');
    assert.equal(langOf(page.url()), l, `${l}: the address names the language`);
    assert.equal(langOf(await page.getAttribute('#home-link', 'href')), l, `${l}: the home link`);
    const wrong = await page.$$eval('body [data-i18n]', (els, d) => els.filter((e) => e.textContent !== d[e.dataset.i18n]).map((e) => e.dataset.i18n), T);
    assert.deepEqual(wrong, [], `${l}: elements not in the language`);
    // The agency's contacts: the same numbers and page in every language, labels translated.
    assert.equal(await page.isVisible('#contact'), true, `${l}: the contacts are shown`);
    assert.equal(await text(page, '#contact-h'), T['contact.heading']);
    assert.equal(await text(page, '#contact-name'), AGENCY.agency_name);
    assert.equal(await text(page, '#contact-phone'), AGENCY.agency_phone);
    assert.equal(await page.getAttribute('#contact-phone', 'href'), 'tel:5550100100');
    assert.equal(await text(page, '#contact-victims-dt'), T['contact.victim_services']);
    assert.equal(await text(page, '#contact-victims-phone'), AGENCY.victim_services_phone);
    assert.equal(await page.getAttribute('#contact-victims-phone', 'href'), 'tel:+15550100199');
    assert.equal(await page.getAttribute('#contact-victims-url', 'href'), AGENCY.victim_services_url);
    assert.equal(await text(page, '#contact-victims-url'), T['contact.victim_services_page']);
    assert.equal(await text(page, '#contact-victims-note'), T['contact.victims_note']);
    await checkState(page, `lang-${l}-home`);

    // A search: the count in the language's plural, dates as Intl writes them there.
    await search(page, { '#q-last': 'okonkwo', '#q-first': 'chidi' });
    assert.equal(langOf(page.url()), l, `${l}: the search's address keeps the language`);
    const form = new Intl.PluralRules(l).select(2) === 'one' ? 'one' : 'other';
    assert.equal(await text(page, '#results-count'), T[`results.count.${form}`].replace('{n}', '2'), `${l}: the count`);
    assert.equal(await text(page, '#results-h'), T['results.heading']);
    const dates = await page.$$eval('#results-list [data-field="booking_date"]', (els) => els.map((e) => e.textContent));
    const want = fixtures.twins.map((t) => `${T['field.booking_date']}: ${fmt(l, t.booking_date)}`);
    assert.deepEqual([...dates].sort(), [...want].sort(), `${l}: booking dates by Intl`);
    const hrefs = await page.$$eval('#results-list a[data-booking]', (as) => as.map((a) => a.getAttribute('href')));
    assert.equal(hrefs.length, 2);
    for (const h of hrefs) assert.equal(langOf(h), l, `${l}: a result's link keeps the language: ${h}`);
    await checkState(page, `lang-${l}-results`);

    // The record it leads to.
    await navigates(page, () => page.click('#results-list a[data-booking="WEB-0004"]'));
    assert.equal(langOf(page.url()), l, `${l}: the record's address keeps the language`);
    assert.equal(await text(page, '#detail-fields dt[data-field="booking_no"]'), T['field.booking_no']);
    assert.equal(await text(page, '#detail-fields dd[data-field="booking_date"]'), fmt(l, fixtures.twins[1].booking_date));
    assert.equal(await text(page, '#sub-h'), T['sub.heading']);
    assert.equal(langOf(await page.getAttribute('#back-link', 'href')), l, `${l}: back to results keeps the language`);
    // Messages to subscribers, mail and SMS, are written in each of the six (GET /info lists
    // them): the note that they would come in English is never shown.
    assert.equal(await page.isVisible('#sub-lang-note'), false, `${l}: no note on the messages' language`);
    await checkState(page, `lang-${l}-detail`);
    // The address alone reopens the record in the language, whatever was chosen before.
    const there = page.url();
    const other = await newPage();
    await open(other, '/');
    await other.evaluate((saved) => localStorage.setItem('holdcheck.lang', saved), l === 'es' ? 'ko' : 'es');
    await open(other, there.slice(server.base.length));
    assert.equal(await other.getAttribute('html', 'lang'), l, `${l}: a copied link opens in the language`);
    assert.equal(await text(other, '#detail-h'), 'Okonkwo, Chidi');
    await other.close();
    await page.evaluate((chosen) => localStorage.setItem('holdcheck.lang', chosen), l);
  }
  await page.close();
});

test('keyboard only: skip link, search with Enter, open a result with Enter', async () => {
  const page = await newPage();
  await open(page, '/');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip');
  const box = await page.locator('a.skip').boundingBox();
  assert.ok(box && box.y >= 0, 'the skip link is on screen when focused');
  await page.keyboard.press('Enter');
  assert.equal(await activeId(page), 'main');
  const tabTo = async (pred, max = 30) => {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(pred)) return;
    }
    assert.fail(`Tab never reached the element (${pred})`);
  };
  await tabTo(() => document.activeElement.id === 'q-last');
  // Focus is visible: an outline is drawn on the focused field.
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none');
  await page.keyboard.type('nunez');
  await navigates(page, () => page.keyboard.press('Enter'));
  assert.equal(await activeId(page), 'results-h');
  await tabTo(() => document.activeElement.dataset?.booking === 'WEB-0001');
  await screenshot(page, ARTIFACTS, 'keyboard-result-focused');
  await navigates(page, () => page.keyboard.press('Enter'));
  assert.equal(await activeId(page), 'detail-h');
  assert.equal(await text(page, '#detail-h'), fixtures.maria.name);
  // The subscribe form is reachable and usable from the keyboard too.
  await tabTo(() => document.activeElement.id === 'sub-ch-email' || document.activeElement.id === 'sub-ch-webhook');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.isVisible('#sub-url'), true, 'arrow keys choose the webhook channel');
  await checkState(page, 'keyboard-detail');
  await page.close();
});

test('subscribe by email, confirm with the emailed link, get an event', async () => {
  const address = `neighbor-${crypto.randomBytes(4).toString('hex')}@example.org`;
  const page = await newPage();
  await open(page, '/?b=WEB-0001');
  await page.fill('#sub-email', address);
  await page.check('#ev-advance');
  await page.fill('#sub-days', '5');
  await checkState(page, 'subscribe-email-form');
  await page.click('#sub-submit');
  await page.waitForSelector('#sub-done:not([hidden])');
  assert.equal(await activeId(page), 'sub-done');
  assert.ok((await text(page, '#sub-done')).includes(address));
  await checkState(page, 'subscribe-email-sent');

  const msg = await smtp.waitFor((m) => m.to.includes(address), DELIVERY_MS);
  const confirm = linksIn(msg.text).find((l) => l.includes('?confirm='));
  assert.ok(confirm, `the confirmation email has a /?confirm= link:\n${msg.text}`);
  assert.ok(confirm.startsWith(server.base + '/?confirm='), `link points at the server: ${confirm}`);
  await page.goto(confirm);
  await page.waitForSelector('html[data-ready="true"]');
  assert.equal(await text(page, '#landing-h'), EN['landing.confirm.ok.title']);
  assert.ok(!page.url().includes('confirm='), 'the token leaves the address bar once used');
  assert.equal(await page.isVisible('#landing-person'), true);
  await checkState(page, 'confirm-email');

  // A change of the release date reaches the confirmed subscriber, with a way out.
  expectStatus(await admin.patch('/api/v1/bookings/WEB-0001', { scheduled_release: isoDate(45) }), 200, 'PATCH booking');
  const ev = await smtp.waitFor((m) => m.to.includes(address) && m !== msg, DELIVERY_MS);
  assert.ok(ev.text.includes('WEB-0001'), 'the event names the booking');
  const unsub = linksIn(ev.text).find((l) => l.includes('?unsubscribe='));
  assert.ok(unsub && unsub.startsWith(server.base), `the event email has an unsubscribe link:\n${ev.text}`);
  assert.match(ev.headers['list-unsubscribe'] || '', /\/api\/v1\/public\/subscriptions\/unsubscribe\//);
  assert.equal(ev.headers['list-unsubscribe-post'], 'List-Unsubscribe=One-Click');
  fixtures.email = { address, unsub, oneClick: /<([^>]+)>/.exec(ev.headers['list-unsubscribe'])[1] };
  await page.close();
});

test('subscribe by webhook, confirm with the delivered link, signed events', async () => {
  const hookPath = `/hook/${crypto.randomBytes(4).toString('hex')}`;
  const page = await newPage();
  await open(page, '/?b=WEB-0001');
  await page.check('#sub-ch-webhook');
  assert.equal(await page.isVisible('#sub-email'), false);
  await page.fill('#sub-url', hook.url(hookPath));
  await checkState(page, 'subscribe-webhook-form');
  await page.click('#sub-submit');
  await page.waitForSelector('#sub-done:not([hidden])');
  const secret = await text(page, '#sub-secret');
  assert.match(secret, /^whsec_[0-9a-f]{64}$/, 'the page shows the webhook secret once');
  await checkState(page, 'subscribe-webhook-sent');

  const req = await hook.waitFor((r) => r.path === hookPath && r.json?.type === 'subscription.confirm', DELIVERY_MS);
  checkSignature(req, secret);
  const confirmUrl = req.json.data?.confirm_url;
  assert.ok(confirmUrl && confirmUrl.startsWith(server.base), `confirm_url: ${confirmUrl}`);
  // GET of the confirm URL sends the browser to the page, which confirms.
  await page.goto(confirmUrl);
  await page.waitForSelector('html[data-ready="true"]');
  assert.equal(await text(page, '#landing-h'), EN['landing.confirm.ok.title']);
  await checkState(page, 'confirm-webhook');

  expectStatus(await admin.patch('/api/v1/bookings/WEB-0001', { facility: 'Example County North Annex' }), 200, 'PATCH facility');
  const ev = await hook.waitFor((r) => r.path === hookPath && r.json?.type === 'transferred', DELIVERY_MS);
  checkSignature(ev, secret);
  assert.equal(ev.json.booking_no, 'WEB-0001');
  assert.equal(ev.json.data.facility, 'Example County North Annex');
  assert.equal(ev.headers['x-holdcheck-event-id'], ev.json.event_id);
  assert.ok(ev.json.unsubscribe_url?.startsWith(server.base + '/?unsubscribe='), ev.json.unsubscribe_url);
  fixtures.webhook = { path: hookPath, unsub: ev.json.unsubscribe_url };
  await page.close();
});

test('unsubscribe: the emailed link, and a one-click POST', async () => {
  assert.ok(fixtures.email && fixtures.webhook, 'needs the two subscriptions made above');
  const page = await newPage();
  await page.goto(fixtures.email.unsub);
  await page.waitForSelector('html[data-ready="true"]');
  assert.equal(await text(page, '#landing-h'), EN['landing.unsubscribe.ok.title']);
  assert.equal(await activeId(page), 'BODY', 'a landing opened from a link does not steal focus');
  await checkState(page, 'unsubscribe-email');

  // RFC 8058 one-click for the webhook: a form-encoded POST to the unsubscribe URL.
  const token = new URL(fixtures.webhook.unsub).searchParams.get('unsubscribe');
  const r = await pub.post(`/api/v1/public/subscriptions/unsubscribe/${token}`, 'List-Unsubscribe=One-Click',
    { 'Content-Type': 'application/x-www-form-urlencoded' });
  expectStatus(r, 200, 'one-click unsubscribe');
  assert.equal(r.json.unsubscribed, true);

  // A control subscriber still gets the next event; the two who left do not.
  const control = `control-${crypto.randomBytes(4).toString('hex')}@example.org`;
  expectStatus(await pub.post('/api/v1/public/subscriptions', { booking_no: 'WEB-0001', channel: 'email', address: control, events: ['release_date'] }), 202, 'control subscribe');
  const cmsg = await smtp.waitFor((m) => m.to.includes(control), DELIVERY_MS);
  const ctoken = new URL(linksIn(cmsg.text).find((l) => l.includes('?confirm='))).searchParams.get('confirm');
  expectStatus(await pub.post(`/api/v1/public/subscriptions/confirm/${ctoken}`), 200, 'control confirm');
  const emailsBefore = smtp.messages.filter((m) => m.to.includes(fixtures.email.address)).length;
  const hooksBefore = hook.requests.filter((q) => q.path === fixtures.webhook.path).length;
  expectStatus(await admin.patch('/api/v1/bookings/WEB-0001', { scheduled_release: isoDate(50) }), 200, 'PATCH booking');
  await smtp.waitFor((m) => m.to.includes(control) && m !== cmsg, DELIVERY_MS);
  await new Promise((res) => setTimeout(res, 1500));
  assert.equal(smtp.messages.filter((m) => m.to.includes(fixtures.email.address)).length, emailsBefore, 'no email after unsubscribing');
  assert.equal(hook.requests.filter((q) => q.path === fixtures.webhook.path).length, hooksBefore, 'no webhook after unsubscribing');

  // A used or unknown link says so plainly.
  await open(page, '/?unsubscribe=' + '0'.repeat(64));
  assert.equal(await text(page, '#landing-h'), EN['landing.unsubscribe.unknown.title']);
  await checkState(page, 'unsubscribe-unknown');
  await page.close();
});

test('rate limit: a 429 is explained and the button waits for Retry-After', async () => {
  // A second server with a small bucket (1 request a second, 10 at once), so the limit is
  // reached without slowing the other tests.
  const dir2 = tempDir();
  let srv;
  try {
    const db2 = await makeDb(BIN, dir2, { bookings: 30, seed: 3 });
    const tok = await addUser(BIN, db2, 'rl-admin', 'admin');
    srv = await startServer(BIN, { dir: dir2, db: db2, settings: { public_rate: 1, public_burst: 10 } });
    expectStatus(await client(srv.base, tok).put('/api/v1/agency/publication',
      { published: ALL_FIELDS, recently_released_days: 7, release_dates_public_elsewhere: false }), 200, 'policy');
    const page = await browser.context.newPage();
    page.problems = watch(page, srv.base);
    await page.goto(srv.base + '/');
    await page.waitForSelector('html[data-ready="true"]');
    const anon = client(srv.base);
    let limited = null;
    for (let i = 0; i < 40 && !limited; i++) {
      const r = await anon.get('/api/v1/public/inmates?limit=1');
      if (r.status === 429) limited = r;
    }
    assert.ok(limited, 'the bucket runs out');
    assert.ok(Number(limited.headers.get('retry-after')) >= 1, 'Retry-After is given');
    // Keep the bucket empty while the page searches (a token comes back every second), and
    // search again should the page's request have caught one.
    let draining = true;
    const drain = (async () => {
      while (draining) { await anon.get('/api/v1/public/inmates?limit=1'); await new Promise((r) => setTimeout(r, 10)); }
    })();
    let msg = '';
    try {
      await page.fill('#q-last', 'testperson');
      for (let i = 0; i < 3 && !msg; i++) {
        await navigates(page, () => page.click('#search-submit'));
        msg = await text(page, '#error');
      }
    } finally {
      draining = false;
      await drain;
    }
    assert.match(msg, /^Too many requests in a short time\. Please wait \d+ seconds? and try again\.$/, msg);
    const wait = Number(/wait (\d+) second/.exec(msg)[1]);
    assert.equal(await page.isDisabled('#search-submit'), true, 'Search waits while limited');
    assert.equal(await activeId(page), 'error', 'focus moves to the error');
    await checkState(page, 'rate-limited');
    await page.waitForFunction(() => !document.getElementById('search-submit').disabled, null, { timeout: (wait + 3) * 1000 });
    await page.close();
  } finally {
    await srv?.stop();
    fs.rmSync(dir2, { recursive: true, force: true });
  }
});

test('small screens: no horizontal scrolling, same content', async () => {
  const page = await newPage({ viewport: { width: 360, height: 740 } });
  await open(page, '/?last=nunez');
  assert.ok((await resultTitles(page)).includes(fixtures.maria.name));
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
  await checkState(page, 'mobile-results');
  await open(page, '/?b=WEB-0001');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
  await checkState(page, 'mobile-detail');
  await page.close();
});
