// sms.test.mjs: subscribing by SMS on the public page (web/public/), in Debian's chromium against
// a real `holdcheck serve` whose SMS gateway is a local fake (webhook-receiver.mjs records every
// message the server POSTs to it). In Spanish: the page offers SMS, takes a number, shows the
// code form; a wrong code is refused on the page; the code the fake gateway carried confirms;
// a release reaches the number in Spanish; STOP on the inbound route ends it with one reply.
// Every state passes axe-core and is kept as a screenshot under build/browser-artifacts/.
// Run: HOLDCHECK=build/holdcheck node --test --test-concurrency=1 tests/browser/sms.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { launch, watch, axe, formatViolations, screenshot } from './lib/browser.mjs';
import { makeDb, addUser, startServer, client, expectStatus, tempDir } from './lib/holdcheck.mjs';
import { startWebhookReceiver } from './webhook-receiver.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const BIN = path.resolve(process.env.HOLDCHECK || path.join(repo, 'build/holdcheck'));
const ARTIFACTS = path.resolve(process.env.BROWSER_ARTIFACTS || path.join(repo, 'build/browser-artifacts'));
const ES = JSON.parse(fs.readFileSync(path.join(repo, 'web/public/i18n/es.json'), 'utf8'));
const ALL_FIELDS = ['booking_no', 'name', 'booking_date', 'charges', 'bail', 'next_court_date', 'facility',
  'custody_status', 'scheduled_release', 'recently_released'];
const SECRET = 'browser-inbound-secret';
const DELIVERY_MS = 30000;

let dir, server, admin, pub, gateway, browser;

async function checkState(page, name) {
  const violations = await axe(page);
  await screenshot(page, ARTIFACTS, name);
  assert.equal(violations.length, 0, `axe-core violations on "${name}":\n${formatViolations(violations)}`);
  assert.deepEqual(page.problems.problems(), [], `page problems on "${name}"`);
}
const text = (page, sel) => page.$eval(sel, (e) => e.textContent.trim());
const sentTo = (number) => (r) => r.path === '/send' && r.json?.to === number;

before(async () => {
  assert.ok(fs.existsSync(BIN), `holdcheck binary not found at ${BIN} (set HOLDCHECK)`);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  gateway = await startWebhookReceiver();
  dir = tempDir();
  const db = await makeDb(BIN, dir);
  const adminToken = await addUser(BIN, db, 'sms-admin', 'admin');
  server = await startServer(BIN, {
    dir, db, settings: {
      sms_gateway_url: gateway.url('/send'),
      sms_from: '+15550109999',
      sms_inbound_secret: SECRET,
      delivery_retry_seconds: 1,
      public_status_seconds: 1,
      public_rate: 1000,
      public_burst: 100000,
    },
  });
  admin = client(server.base, adminToken);
  pub = client(server.base);
  expectStatus(await admin.put('/api/v1/agency/publication',
    { published: ALL_FIELDS, recently_released_days: 7, release_dates_public_elsewhere: false }), 200, 'PUT publication');
  expectStatus(await admin.post('/api/v1/bookings', {
    booking_no: 'SMS-0001', booked_at: '2026-11-30T10:15:00-08:00', facility: 'Example County Central Jail',
    status: 'in_custody', person: { name: 'Núñez, María', date_of_birth: '1985-07-14', local_id: 'SMS-P1' },
  }), 201, 'create SMS-0001');
  browser = await launch();
});

after(async () => {
  const errs = [];
  for (const stop of [() => browser?.close(), () => server?.stop(), () => gateway?.close()]) {
    try { await stop(); } catch (e) { errs.push(e); }
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  if (errs.length) throw errs[0];
});

test('subscribe by SMS in Spanish, confirm with the code the gateway carried, then STOP', async () => {
  const page = await browser.context.newPage();
  page.problems = watch(page, server.base);
  await page.goto(server.base + '/?b=SMS-0001&lang=es');
  await page.waitForSelector('html[data-ready="true"]');
  assert.equal(await page.isVisible('#sub-ch-sms'), true, 'the page offers SMS when /info lists it');
  await page.check('#sub-ch-sms');
  assert.equal(await page.isVisible('#sub-phone'), true);
  assert.equal(await page.isVisible('#sub-email'), false);
  await page.fill('#sub-phone', 'no es un número');
  await page.click('#sub-submit');
  assert.equal(await text(page, '#sub-error'), ES['sub.err_phone']);
  assert.equal(await page.getAttribute('#sub-phone', 'aria-invalid'), 'true');
  await checkState(page, 'sms-phone-invalid');
  await page.fill('#sub-phone', '(555) 010-0123');
  await checkState(page, 'sms-form');
  await page.click('#sub-submit');
  await page.waitForSelector('#sub-code-form');
  assert.ok((await text(page, '#sub-done')).includes('(555) 010-0123'));
  await checkState(page, 'sms-code-form');

  const sent = await gateway.waitFor(sentTo('+15550100123'), DELIVERY_MS);
  assert.equal(sent.json.from, '+15550109999');
  const code = /\b(\d{6})\b/.exec(sent.json.text)?.[1];
  assert.ok(code, `the SMS carries a code: ${sent.json.text}`);
  assert.match(sent.json.text, /^Clave \d{6} para recibir avisos del ingreso SMS-0001/);

  const wrong = String((Number(code) + 1) % 1000000).padStart(6, '0');
  await page.fill('#sub-code', wrong);
  await page.click('#sub-code-submit');
  await page.waitForFunction(() => document.getElementById('sub-code-error').textContent.length > 0);
  assert.equal(await text(page, '#sub-code-error'), ES['sub.err_code']);
  assert.equal(await page.getAttribute('#sub-code', 'aria-invalid'), 'true');
  await checkState(page, 'sms-code-wrong');

  await page.fill('#sub-code', code);
  await page.click('#sub-code-submit');
  await page.waitForSelector('#sub-code-ok');
  assert.equal(await text(page, '#sub-code-ok'), ES['sub.code_ok']);
  await checkState(page, 'sms-confirmed');

  // A release reaches the number, in Spanish, naming the person as published.
  expectStatus(await admin.patch('/api/v1/bookings/SMS-0001',
    { status: 'released', released_at: '2026-12-07T08:00:00-08:00' }), 200, 'release SMS-0001');
  const rel = await gateway.waitFor((r) => sentTo('+15550100123')(r) && r.json.text.includes('libertad'), DELIVERY_MS);
  assert.match(rel.json.text, /^Ingreso SMS-0001 \(Núñez, María\): puesto en libertad/);

  // STOP: refused without the secret; with it, the number's subscription ends, with one reply.
  expectStatus(await pub.post('/api/v1/public/sms/inbound', { from: '+15550100123', text: 'STOP' }), 401, 'no secret');
  const stop = expectStatus(await pub.post('/api/v1/public/sms/inbound', { from: '+15550100123', text: 'STOP' },
    { 'X-Holdcheck-Secret': SECRET }), 200, 'STOP');
  assert.deepEqual(stop.json, { stopped: true, subscriptions: 1 });
  const reply = await gateway.waitFor((r) => sentTo('+15550100123')(r) && r.json.text.includes('cancelados'), DELIVERY_MS);
  assert.equal(reply.json.text, 'Sus avisos por SMS quedan cancelados.');
  await page.close();
});
