// victims.test.mjs: the console's victim notification page (web/console/victims.html) in a real
// browser, with release dates NOT published: a clerk registers a victim (a wrong address is
// named and marked first), the booking's release reaches the victim's mail in the outbox in the
// chosen language; an auditor sees the registration without name or address and no form; the
// page works from the keyboard alone (register, then remove); axe-core finds no violation in
// any state. Screenshots go to build/browser-artifacts/console/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setup, axeClean, shot, launch, roleRunner, ART, expectStatus } from './lib.mjs';
import { tempDir } from '../lib/holdcheck.mjs';

const NAME = 'Browser Sentinelvictim';
const ADDRESS = 'browser.sentinel@example.org';
const outboxDir = tempDir('hc-victims-outbox-');
let env, browser;

before(async () => {
  fs.mkdirSync(ART, { recursive: true });
  // The setup's bookings: CB-0001 (Testperson, Alpha) and CB-0002 (Testperson, Bravo).
  env = await setup({ settings: { mail_outbox: path.join(outboxDir, 'outbox'), delivery_retry_seconds: 1 } });
  env.outbox = path.join(outboxDir, 'outbox');
  // Published: booking numbers, names, custody status. Not release dates.
  expectStatus(await env.api.put('/api/v1/agency/publication', { published: ['booking_no', 'name', 'custody_status'],
    recently_released_days: 7, release_dates_public_elsewhere: false }), 200, 'policy');
  assert.equal((await env.api.get('/api/v1/agency/settings')).json.release_dates_public, false, 'release dates are not public');
  browser = await launch();
  browser.context.setDefaultTimeout(30000);
});

after(async () => {
  await browser?.close();
  await env?.close();
  fs.rmSync(outboxDir, { recursive: true, force: true });
});

const url = (p) => `${env.srv.base}/console/${p}`;
const asRole = roleRunner(() => browser, () => env);

// The outbox's mails to address, as text.
function mailsTo(address) {
  if (!fs.existsSync(env.outbox)) return [];
  return fs.readdirSync(env.outbox).filter((f) => f.endsWith('.eml'))
    .map((f) => fs.readFileSync(path.join(env.outbox, f), 'utf8')).filter((m) => m.includes(`\r\nTo: <${address}>\r\n`));
}

async function until(what, fn, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('a clerk registers a victim; the release reaches the victim although release dates are not published', async () => {
  await asRole('clerk', async (p) => {
    await p.getByRole('link', { name: 'Victim notification' }).click();
    await p.waitForURL(/victims\.html/);
    await p.getByRole('heading', { name: 'Register a victim or designee' }).waitFor();
    await axeClean(p, 'victims page');
    await shot(p, 'victims-form');
    await p.getByLabel('Booking number', { exact: true }).fill('CB-0001');
    await p.getByLabel('Name', { exact: true }).fill(NAME);
    await p.getByLabel('Email address').fill('not an address');
    await p.getByLabel('Language of the notices').selectOption('es');
    await p.getByRole('button', { name: 'Register' }).click();
    await p.locator('#register .form-error', { hasText: 'expected an email address (field: address)' }).waitFor();
    assert.equal(await p.getByLabel('Email address').getAttribute('aria-invalid'), 'true', 'the field is marked');
    await axeClean(p, 'victims form error');
    await shot(p, 'victims-form-error');
    await p.getByLabel('Email address').fill(ADDRESS);
    await p.getByRole('button', { name: 'Register' }).click();
    await p.locator('#status', { hasText: /Registered as #1: notices for booking CB-0001 will be emailed in Español/ }).waitFor();
    const row = p.locator('#registrations tbody tr').first();
    assert.match(await row.innerText(), new RegExp(`#1\\s+CB-0001\\s+Victim\\s+${NAME}\\s+${ADDRESS.replace(/\./g, '\\.')}\\s+email, Español\\s+No\\s+Active`));
    await axeClean(p, 'victims registered');
    await shot(p, 'victims-registered');
  }, [/\/api\/v1\/victims$/]);
  expectStatus(await env.api.patch('/api/v1/bookings/CB-0001', { status: 'released', released_at: '2026-12-05T09:30:00-08:00',
    release_reason: 'bail posted' }), 200, 'release');
  const mail = (await until('the victim notice', () => { const m = mailsTo(ADDRESS); return m.length ? m : null; }))[0];
  assert.match(mail, /^Content-Language: es\r$/m);
  assert.ok(mail.includes('Testperson, Alpha (ingreso CB-0001) fue puesto en libertad el 2026-12-05 09:30 (UTC-08:00).'), mail);
  // The public record shows no release date, and no registrant.
  const pub = await fetch(`${env.srv.base}/api/v1/public/inmates/CB-0001`).then((r) => r.text());
  assert.doesNotMatch(pub, /2026-12-05|Sentinel|sentinel/i, 'the public record');
});

test('an auditor sees the registration without name or address, and no form', async () => {
  await asRole('auditor', async (p) => {
    await p.goto(url('victims.html'));
    await p.locator('#registrations tbody tr').first().waitFor();
    assert.equal(await p.locator('#register').isHidden(), true, 'no form');
    const text = await p.locator('main').innerText();
    assert.doesNotMatch(text, /Sentinel|sentinel/i, 'no name or address');
    assert.match(text, /withheld \(your role does not see it\)/);
    assert.equal(await p.getByRole('button', { name: 'Remove' }).count(), 0, 'no removal');
    await axeClean(p, 'victims as auditor');
    await shot(p, 'victims-auditor');
  });
});

test('keyboard only: register a designee who follows the person, then remove the registration', async () => {
  await asRole('admin', async (p) => {
    await p.goto(url('victims.html'));
    await p.locator('#register').waitFor();
    await p.locator('#main').focus();
    const focused = async () => p.evaluate(() => [document.activeElement.id || document.activeElement.textContent,
      getComputedStyle(document.activeElement).outlineStyle]);
    await p.keyboard.press('Tab');
    assert.equal((await focused())[0], 'booking_no');
    assert.notEqual((await focused())[1], 'none', 'a focus ring');
    await p.keyboard.type('CB-0002');
    await p.keyboard.press('Tab');
    assert.equal((await focused())[0], 'relation');
    await p.keyboard.press('ArrowDown'); // designee
    await p.keyboard.press('Tab');
    await p.keyboard.type('Keyboard Designee');
    await p.keyboard.press('Tab');
    await p.keyboard.type('kbd.designee@example.org');
    await p.keyboard.press('Tab');
    assert.equal((await focused())[0], 'lang');
    await p.keyboard.press('Tab');
    assert.equal((await focused())[0], 'follows_person');
    await p.keyboard.press('Space');
    await p.keyboard.press('Tab');
    assert.equal((await focused())[0], 'Register');
    await p.keyboard.press('Enter');
    await p.locator('#status', { hasText: 'Registered as #2' }).waitFor();
    const got = (await env.api.get('/api/v1/victims/2')).json;
    assert.deepEqual([got.booking_no, got.relation, got.follows_person, got.lang, got.name], ['CB-0002', 'designee', true, 'en', 'Keyboard Designee']);
    // On to its Remove button, and press it.
    for (let i = 0; i < 12 && (await focused())[0] !== 'Remove'; i++) await p.keyboard.press('Tab');
    assert.equal((await focused())[0], 'Remove', 'the Remove button is reached by Tab');
    assert.notEqual((await focused())[1], 'none', 'a focus ring on Remove');
    await p.keyboard.press('Enter');
    await p.locator('#status', { hasText: 'Registration 2 removed' }).waitFor();
    assert.equal((await env.api.get('/api/v1/victims/2')).json.state, 'removed');
    await axeClean(p, 'victims after removal');
    await shot(p, 'victims-keyboard');
  });
});
