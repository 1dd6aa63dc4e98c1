// console.test.mjs: the staff console in a real browser (playwright-core driving Debian's
// chromium, headless; axe-core on every page). Against a real `holdcheck serve` on a fresh
// database: every role signs in; a clerk records a request of each type and sees the decision
// and its basis; every notice kind is printed in each of the six languages (the PDFs rendered
// to PNG with pdftoppm and checked for glyphs of the script); notices are marked served;
// interview consent is recorded before the interview is granted; a supervisor overrides and a
// clerk is refused with the reason; the audit trail shows the acting users. Screenshots go to
// build/browser-artifacts/console/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  setup, watch, axeClean, shot, pdfToPngs, darkFraction, launch, roleRunner, ROLES, ART, SCRIPT, FONT,
} from './lib.mjs';

const LANGS = ['en', 'es', 'zh', 'tl', 'vi', 'ko'];
const TYPES = ['hold', 'notification', 'transfer', 'interview', 'personal_info', 'criminal_history',
  'status_inquiry', 'civil_warrant_arrest', 'immigration_officer_functions', 'border_search', 'interpreter',
  'office_space', 'detention_contract', 'status_information_exchange', 'visa_certification'];

let env, browser;
const ids = {}; // request type -> id

before(async () => {
  fs.rmSync(ART, { recursive: true, force: true });
  fs.mkdirSync(ART, { recursive: true });
  env = await setup();
  browser = await launch();
  // make check runs other suites beside this one on two cores: allow slow answers.
  browser.context.setDefaultTimeout(30000);
});

after(async () => {
  if (browser) await browser.close();
  if (env) await env.close();
});

// A page signed in as role, watched for errors; fn(page) runs the test; problems fail it.
const asRole = roleRunner(() => browser, () => env);

const url = (p) => `${env.srv.base}/console/${p}`;

test('every role signs in; the sign-in and queue pages pass axe', async () => {
  const page = await browser.context.newPage();
  const w = watch(page, env.srv.base);
  await browser.context.clearCookies();
  await page.goto(url(''));
  await axeClean(page, 'sign-in page');
  await shot(page, 'sign-in');
  await page.getByLabel('User name').fill('b-clerk');
  await page.getByLabel('Password').fill('wrong password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.form-error', { hasText: 'wrong name or password' }).waitFor();
  await axeClean(page, 'sign-in page with an error');
  assert.deepEqual(w.problems().filter((p) => !/status of 401/.test(p)), []);
  await page.close();
  for (const role of ROLES) {
    await asRole(role, async (p) => {
      await p.locator('#queue').waitFor();
      await p.getByText(`Signed in as b-${role} (${role})`).waitFor();
      const settings = await p.getByRole('link', { name: 'Agency settings' }).count();
      assert.equal(settings, role === 'admin' ? 1 : 0, `settings link for ${role}`);
      await axeClean(p, `queue as ${role}`);
      await shot(p, `queue-${role}`);
      await p.getByRole('button', { name: 'Sign out' }).click();
      await p.waitForURL(/index\.html$/);
    });
  }
});

test('keyboard only: sign in and reach the queue with Tab and Enter, focus visible', async () => {
  const page = await browser.context.newPage();
  await browser.context.clearCookies();
  await page.goto(url(''));
  // The page puts the focus in the name field; the skip link is the one element before it.
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'name');
  await page.keyboard.press('Shift+Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to main content');
  const ring = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(ring, 'none', 'the focused skip link shows an outline');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'name');
  assert.notEqual(await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle), 'none',
    'the focused field shows an outline');
  await page.keyboard.type(env.users.supervisor.name);
  await page.keyboard.press('Tab');
  await page.keyboard.type(env.users.supervisor.password);
  await page.keyboard.press('Enter');
  await page.waitForURL(/queue\.html/);
  await page.close();
});

test('a clerk records a request of each type and sees the decision and its basis', async () => {
  await asRole('clerk', async (p) => {
    for (const type of TYPES) {
      await p.goto(url('intake.html'));
      await p.getByLabel('Booking number').fill(type === 'interview' ? 'CB-0002' : 'CB-0001');
      await p.getByLabel('Type of request').selectOption(type);
      if (type === 'hold') await p.getByLabel('Federal form').selectOption('I-247A');
      await p.getByLabel('Issuing office').fill('ICE ERO Test Field Office');
      if (type === 'transfer') {
        await p.getByLabel('A judicial warrant is attached').check();
        await p.getByLabel('Court', { exact: true }).fill('United States District Court, N.D. Cal.');
        await p.getByLabel('Judge', { exact: true }).fill('Hon. Test Magistrate');
      }
      await p.getByRole('button', { name: 'Record and decide' }).click();
      const sec = p.locator('#decision');
      await sec.getByText(/^Request #\d+ recorded/).waitFor();
      const text = await sec.innerText();
      assert.match(text, /Outcome: (Permitted|Permitted with conditions|Needs review|Prohibited)/, type);
      assert.match(text, /Gov\. Code § 72\d\d/, `${type}: the provisions`);
      assert.match(text, /Conditions/, type);
      if (type === 'notification') assert.match(text, /PC 211/, 'qualifying record fact shown');
      if (type === 'hold') assert.match(text, /7284\.6\(a\)\(1\)\(B\)/);
      ids[type] = (await sec.getByRole('link', { name: /Open the request/ }).getAttribute('href')).split('=')[1];
      if (['hold', 'notification', 'transfer', 'interview'].includes(type)) {
        await axeClean(p, `intake with the ${type} decision`);
        await shot(p, `intake-${type}`);
      }
    }
    // Bad input is shown next to the form, naming the field.
    await p.goto(url('intake.html'));
    await p.getByLabel('Booking number').fill('NO-SUCH');
    await p.getByRole('button', { name: 'Record and decide' }).click();
    await p.locator('#intake div.form-error', { hasText: 'no such booking' }).waitFor();
    assert.equal(await p.getByLabel('Booking number').getAttribute('aria-invalid'), 'true');
    await axeClean(p, 'intake with an error');
  }, [/\/api\/v1\/bookings\/NO-SUCH/]);
  assert.equal(Object.keys(ids).length, TYPES.length);
  // The warrant's court and judge were recorded with the transfer.
  const st = await env.api.get(`/api/v1/requests/${ids.transfer}/notices`);
  assert.equal(st.json.warrants[0].judge, 'Hon. Test Magistrate');
});

// Generates notices of row's kind through the buttons, one per language; returns their ids.
async function printAll(p, kind, to = 'person') {
  const row = p.locator(`#owed tr[data-kind="${kind}"][data-to="${to}"]`);
  const made = [];
  for (const l of LANGS) {
    const before = await p.locator('#generated tbody tr').count().catch(() => 0);
    await row.locator(`button[data-lang="${l}"]`).click();
    await p.locator('#status', { hasText: /generated/ }).waitFor();
    await p.waitForFunction((n) => document.querySelectorAll('#generated tbody tr').length > n, before);
    const last = p.locator('#generated tbody tr').last();
    made.push({ id: await last.getAttribute('data-notice'), lang: l, pdf: await last.locator('a.pdf-link').getAttribute('href') });
  }
  return made;
}

// Fetches each notice's PDF with the page's session, renders it to PNG and checks the glyphs.
async function checkPdfs(p, kind, made) {
  for (const m of made) {
    const r = await p.request.get(env.srv.base + m.pdf);
    assert.equal(r.status(), 200, `${kind} ${m.lang} pdf`);
    const pdf = await r.body();
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    const pngs = pdfToPngs(pdf, path.join(ART, 'notices', `${kind}-${m.lang}`));
    assert.ok(pngs.length >= 1, `${kind} ${m.lang}: pages rendered`);
    const dark = darkFraction(pngs[0]);
    assert.ok(dark > 0.005, `${kind} ${m.lang}: page 1 has glyphs (${(dark * 100).toFixed(2)}% dark)`);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', path.join(ART, 'notices', `${kind}-${m.lang}.pdf`), '-']).toString();
    assert.match(text, SCRIPT[m.lang], `${kind} ${m.lang}: text in the script`);
    assert.doesNotMatch(text, /\uFFFD/, `${kind} ${m.lang}: no glyph without its character`);
    const fonts = execFileSync('pdffonts', [path.join(ART, 'notices', `${kind}-${m.lang}.pdf`)]).toString();
    assert.match(fonts, FONT[m.lang], `${kind} ${m.lang}: the script's font is embedded`);
  }
}

test('every notice kind prints in each language and is marked served', async () => {
  await asRole('clerk', async (p) => {
    // The copy of a hold request (7283.1(b), first sentence).
    await p.goto(url(`request.html?id=${ids.hold}`));
    await p.locator('#owed').waitFor();
    assert.match(await p.locator('#owed').innerText(), /7283\.1\(b\), first sentence/);
    await axeClean(p, 'request page (hold)');
    const copies = await printAll(p, 'copy');
    await checkPdfs(p, 'copy', copies);
    // The print view opens in a new tab, in its language.
    const [view] = await Promise.all([p.waitForEvent('popup'), p.locator('#generated a.html-link').nth(2).click()]);
    await view.waitForLoadState();
    assert.equal(await view.evaluate(() => document.documentElement.lang), 'zh-Hant');
    await shot(view, 'notice-copy-zh-print-view');
    await view.close();
    // Mark the English copy served.
    const form = p.locator(`form.served-form[data-notice="${copies[0].id}"]`);
    await form.getByLabel('How').selectOption('in_person');
    await form.getByRole('button', { name: `Mark notice #${copies[0].id} served` }).click();
    await p.locator('#status', { hasText: `Notice #${copies[0].id} marked served to Testperson, Alpha by b-clerk` }).waitFor();
    assert.match(await p.locator('#owed').innerText(), /Served/);
    await axeClean(p, 'request page after service');
    await shot(p, 'request-hold-served');

    // A release date given to ICE: the release notices (7283.1(b), second sentence).
    await p.getByLabel('Release date and time given').fill('2030-01-15T09:00');
    await p.getByRole('button', { name: 'Record release date given' }).click();
    await p.locator('#owed tr[data-kind="release"][data-to="person"]').waitFor();
    const releases = await printAll(p, 'release');
    await checkPdfs(p, 'release', releases);
    const counsel = p.locator('#owed tr[data-kind="release"][data-to="counsel"] form');
    await counsel.getByLabel('Give to').selectOption('attorney');
    await counsel.getByLabel('Name of the attorney or designee').fill('Jo Counsel');
    await counsel.getByLabel('Language').selectOption('es');
    await counsel.getByRole('button', { name: 'Generate notice for counsel' }).click();
    await p.locator('#status', { hasText: 'generated for Jo Counsel' }).waitFor();
    await axeClean(p, 'request page with release notices');
    await shot(p, 'request-hold-release');

    // The consent form of an interview request (7283.1(a)), then the person's answer, then
    // the interview granted (refused before).
    await p.goto(url(`request.html?id=${ids.interview}`));
    await p.locator('#owed tr[data-kind="consent"]').waitFor();
    const forms = await printAll(p, 'consent');
    await checkPdfs(p, 'consent', forms);
    const grant = p.getByRole('button', { name: 'Mark interview granted' });
    await grant.click();
    await p.locator('#interview-form .form-error', { hasText: 'consent form is served' }).waitFor();
    const f = p.locator(`form.served-form[data-notice="${forms[5].id}"]`);
    await f.getByRole('button', { name: `Mark notice #${forms[5].id} served` }).click();
    await p.locator('#status', { hasText: 'marked served' }).waitFor();
    await p.getByRole('button', { name: 'Mark interview granted' }).click();
    await p.locator('#interview-form .form-error', { hasText: 'answer is recorded' }).waitFor();
    await p.getByLabel('Only with an attorney present').check();
    await p.getByLabel('Attorney’s name (when only with an attorney)').fill('Jo Counsel');
    await p.getByRole('button', { name: 'Record answer' }).click();
    await p.locator('#status', { hasText: 'Answer recorded' }).waitFor();
    await p.getByRole('button', { name: 'Mark interview granted' }).click();
    await p.locator('#status', { hasText: 'Interview granted' }).waitFor();
    assert.match(await p.locator('#interview').innerText(), /granted/);
    await axeClean(p, 'request page (interview)');
    await shot(p, 'request-interview-granted');
  }, [/\/api\/v1\/requests\/\d+\/interview$/]);
});

test('a supervisor overrides; a clerk is not offered the form', async () => {
  await asRole('clerk', async (p) => {
    await p.goto(url(`request.html?id=${ids.notification}`));
    // A clerk may not override: the form is not shown, the page says who may.
    await p.locator('#override', { hasText: 'A supervisor or an administrator may override' }).waitFor();
    assert.equal(await p.locator('#override-form').count(), 0);
    await axeClean(p, 'override not offered to a clerk');
    await shot(p, 'override-refused-clerk');
  });
  await asRole('supervisor', async (p) => {
    await p.goto(url(`request.html?id=${ids.notification}`));
    const form = p.locator('#override-form');
    await form.getByLabel('New outcome').selectOption('prohibited');
    await form.getByLabel('Reason').fill('local policy: supervisor review of notifications');
    await form.getByRole('button', { name: 'Record override' }).click();
    await p.locator('#status', { hasText: 'Override recorded' }).waitFor();
    assert.match(await p.locator('#override').innerText(), /Prohibited by b-supervisor/);
    assert.match(await p.locator('#summary').innerText(), /Prohibited/);
    // Not more restrictive: refused, naming the provision.
    await p.goto(url(`request.html?id=${ids.hold}`));
    await p.locator('#override-form').getByLabel('New outcome').selectOption('review');
    await p.locator('#override-form').getByLabel('Reason').fill('less restrictive');
    await p.locator('#override-form').getByRole('button', { name: 'Record override' }).click();
    await p.locator('#override-form .form-error', { hasText: '7284.6(a)(1)(B)' }).waitFor();
    // The supervisor states the intent.
    await p.goto(url(`request.html?id=${ids.criminal_history}`));
    await p.getByLabel('The agency', { exact: true }).selectOption('yes');
    await p.getByRole('button', { name: 'Save intent' }).click();
    await p.locator('#status', { hasText: 'Intent saved' }).waitFor();
    await axeClean(p, 'request page as supervisor');
    await shot(p, 'override-supervisor');
  }, [/\/api\/v1\/requests\/\d+\/override$/]);
});

test('an auditor reads without forms; the audit trail shows the acting users', async () => {
  await asRole('auditor', async (p) => {
    await p.goto(url(`request.html?id=${ids.hold}`));
    await p.locator('#generated').waitFor();
    assert.equal(await p.locator('form').count(), 0, 'no forms for the auditor');
    await axeClean(p, 'request page as auditor');
    await p.getByRole('link', { name: 'Audit trail of this request' }).click();
    await p.locator('#audit').waitFor();
    const rows = await p.locator('#audit tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.dataset.action, tr.querySelector('.actor').textContent]));
    const has = (a, u) => rows.some(([x, y]) => x === a && y === u);
    assert.ok(has('request.receive', 'b-clerk'), 'request recorded by the clerk');
    assert.ok(has('notice.generate', 'b-clerk'), 'notices generated by the clerk');
    assert.ok(has('notice.serve', 'b-clerk'), 'notice served by the clerk');
    assert.ok(has('release.disclose', 'b-clerk'), 'release date recorded by the clerk');
    await axeClean(p, 'audit trail');
    await shot(p, 'audit-trail');
    await p.goto(url(`audit.html?id=${ids.notification}`));
    await p.locator('#audit tr[data-action="override.record"]').waitFor();
    assert.equal(await p.locator('#audit tr[data-action="override.record"] .actor').first().textContent(), 'b-supervisor');
    await p.goto(url(`audit.html?id=${ids.interview}`));
    await p.locator('#audit tr[data-action="interview.record"]').waitFor();
    assert.equal(await p.locator('#audit tr[data-action="consent.record"] .actor').first().textContent(), 'b-clerk');
  });
  // Every console action of the tests, in the whole log, names a user.
  const all = await env.api.get('/api/v1/audit?limit=500');
  const console = all.json.entries.filter((e) => /^(notice|consent|intent|release|interview|warrant|override)\./.test(e.action));
  assert.ok(console.length >= 25, `${console.length} console actions logged`);
  for (const e of console) assert.match(e.actor, /^b-(clerk|supervisor)$/, `${e.action} #${e.seq} by ${e.actor}`);
});

test('a clerk records the court record after booking; a re-decision applies it', async () => {
  // Testperson, Bravo (CB-0002) has no record: a notification is prohibited (7284.6(a)(1)(C)).
  const req = await env.api.post('/api/v1/bookings/CB-0002/requests', { type: 'notification' });
  assert.equal(req.status, 201);
  assert.equal(req.json.outcome, 'prohibited');
  const rid = String(req.json.id).replace(/^request-/, '');
  const pid = (await env.api.get('/api/v1/bookings/CB-0002')).json.person.id;
  await asRole('clerk', async (p) => {
    await p.goto(url(`person.html?id=${pid}`));
    await p.getByRole('heading', { name: 'Booking CB-0002' }).waitFor();
    await p.getByText('Record charges and dispositions of booking CB-0002').click();
    const add = p.getByRole('group', { name: 'Add a charge to booking CB-0002' });
    await add.getByLabel('Citation').fill('PC 211');
    await add.getByLabel('Level').selectOption('felony');
    await add.getByLabel('A magistrate found probable cause on this charge (PC 872)').check();
    await add.getByRole('button', { name: 'Save' }).click();
    await p.locator('#status', { hasText: 'Charge added. Decisions already made stay as they were' }).waitFor();
    const charges = p.getByRole('table', { name: 'Charges of booking CB-0002 and their dispositions' });
    assert.match(await charges.innerText(), /PC 211\s+felony\s+pending\s+yes/);
    // A conviction, then the court's Prop 47 reduction of it.
    const conv = p.getByRole('group', { name: 'Record a conviction (a court disposition)' });
    await conv.getByLabel('Citation').fill('HS 11350(a)');
    await conv.getByLabel('Level').selectOption('felony');
    await conv.getByLabel('Date of conviction').fill('2013-09-01');
    await conv.getByLabel('Reduced under Prop 47').selectOption('false');
    await conv.getByRole('button', { name: 'Save' }).click();
    await p.locator('#status', { hasText: 'Conviction recorded.' }).waitFor();
    const red = p.getByRole('group', { name: 'Conviction HS 11350(a) of 2013-09-01: Prop 47 reduction' });
    await red.getByLabel('Reduced under Prop 47 (PC 1170.18)').selectOption('true');
    await red.getByRole('button', { name: 'Save' }).click();
    await p.locator('#status', { hasText: 'Conviction HS 11350(a) updated.' }).waitFor();
    assert.match(await p.getByRole('table', { name: 'Convictions on record' }).innerText(), /HS 11350\(a\)[\s\S]*yes/);
    // A conviction without a citation is refused next to the form, naming the field, which
    // is marked and focused.
    const again = p.getByRole('group', { name: 'Record a conviction (a court disposition)' });
    await again.getByRole('button', { name: 'Save' }).click();
    await p.locator('form .form-error', { hasText: 'field: citation' }).first().waitFor();
    assert.equal(await again.getByLabel('Citation').getAttribute('aria-invalid'), 'true');
    await p.getByText('Record charges and dispositions of booking CB-0002').click();
    await axeClean(p, 'person page with the court record forms');
    await shot(p, 'person-court-record');
  }, [/\/api\/v1\/people\/\d+\/convictions$/]);
  // The stored decision stays; a re-decision applies the finding on the robbery charge
  // (7282.5(b)) and keeps the first version.
  const re = await env.api.post(`/api/v1/requests/${rid}/redecide`);
  assert.equal(re.status, 201);
  assert.equal(re.json.outcome, 'permitted');
  assert.ok(re.json.basis.some((b) => b.includes('7282.5(b)')), re.json.basis.join('; '));
  const got = await env.api.get(`/api/v1/requests/${rid}`);
  assert.deepEqual(got.json.decisions.map((d) => d.outcome), ['prohibited', 'permitted']);
  const audit = await env.api.get('/api/v1/audit?limit=500');
  for (const a of ['charge.add', 'conviction.add', 'conviction.update']) {
    assert.ok(audit.json.entries.some((e) => e.action === a && e.actor === 'b-clerk'), `${a} by the clerk`);
  }
});

test("a person's record; the queue flags the release within 48 h; agency settings for admins", async () => {
  await asRole('clerk', async (p) => {
    await p.goto(url('queue.html'));
    const first = p.locator('#queue tbody tr').first();
    assert.match(await first.innerText(), /Release within 48 h/);
    assert.equal(await first.getAttribute('class'), 'soon');
    await first.getByRole('link', { name: 'Testperson, Alpha' }).click();
    await p.waitForURL(/person\.html/);
    await p.getByRole('heading', { name: 'Booking CB-0001' }).waitFor();
    const text = await p.locator('#person').innerText();
    assert.match(text, /PC 211/);
    assert.match(text, /dismissed/);
    assert.match(text, /Hold \(detainer\) #/);
    await axeClean(p, 'person page');
    await shot(p, 'person');
    await p.goto(url('settings.html'));
    await p.locator('#alert', { hasText: 'Only an administrator' }).waitFor();
  }, [/\/api\/v1\/agency\/settings$/]);
  await asRole('admin', async (p) => {
    await p.getByRole('link', { name: 'Agency settings' }).click();
    await p.locator('#settings:not([hidden])').waitFor();
    await p.getByLabel('Personal information (addresses) is available to the public').check();
    await p.getByLabel('Notification of release').selectOption('serious_violent_only');
    await p.getByRole('button', { name: 'Save settings' }).click();
    await p.locator('#status', { hasText: 'Settings saved' }).waitFor();
    await axeClean(p, 'settings page');
    await shot(p, 'settings');
  });
  const s = await env.api.get('/api/v1/agency/settings');
  assert.equal(s.json.personal_info_public, true);
  assert.equal(s.json.policy.notification, 'serious_violent_only');
});
