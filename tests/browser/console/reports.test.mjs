// reports.test.mjs: the console's reports page (web/console/reports.html) in a real browser,
// on `holdcheck demo --history` (a year the reports count something in): an auditor produces
// each report and sees its figures, the same as the API's JSON, with links to the requests;
// axe-core finds no violation; the whole page works from the keyboard alone, down to the PDF
// download, whose bytes are a PDF with ink on its pages; errors are shown with the field they
// name (a period that ends before it starts, a language the report is not written in) and a
// 501 from a database without reports is explained; a clerk sees the refusal and no form.
// Screenshots and the downloaded PDF's pages go to build/browser-artifacts/console/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { axeClean, shot, pdfToPngs, darkFraction, launch, roleRunner, ART } from './lib.mjs';
import { tempDir, makeDb, startServer, run, client, expectStatus } from '../lib/holdcheck.mjs';

const BIN = process.env.HOLDCHECK || 'build/holdcheck';
const AGENCY = "Sample County Sheriff's Office";
let env, browser;

before(async () => {
  fs.mkdirSync(ART, { recursive: true });
  const dir = tempDir('hc-reports-browser-');
  const db = await makeDb(BIN, dir, { name: 'reports.db' });
  await run(BIN, ['demo', '--db', db, '--bookings', '2500', '--today', '2026-11-30', '--history']);
  const users = {};
  for (const r of ['clerk', 'auditor', 'admin']) {
    const out = await run(BIN, ['user', 'add', '--db', db, `r-${r}`, '--role', r]);
    users[r] = { name: `r-${r}`, password: /^password: (\S+)$/m.exec(out)[1], token: /^token: (\S+)$/m.exec(out)[1] };
  }
  const srv = await startServer(BIN, { dir, db, settings: { agency_name: AGENCY } });
  env = { dir, srv, users, api: client(srv.base, users.auditor.token) };
  browser = await launch();
  browser.context.setDefaultTimeout(30000);
});

after(async () => {
  await browser?.close();
  await env?.srv.stop();
  if (env) fs.rmSync(env.dir, { recursive: true, force: true });
});

const url = (p) => `${env.srv.base}/console/${p}`;

// fn(page) on a fresh page signed in as role; what the page did wrong (but the API answers in
// expected) fails the test.
const asRole = roleRunner(() => browser, () => env);

// The figures the page shows: [group/key, count, ids shown] of each row of its table.
async function shownFigures(p) {
  return p.locator('#figures-table tbody tr').evaluateAll((trs) => trs.map((tr) => [
    tr.dataset.figure, Number(tr.querySelector('td.count').textContent),
    [...tr.querySelectorAll('a')].map((a) => Number(a.textContent.slice(1)))]));
}

test('an auditor produces each report: the figures are the API\'s, each id a link; axe finds nothing', async () => {
  await asRole('auditor', async (p) => {
    await p.getByRole('link', { name: 'Reports' }).click();
    await p.waitForURL(/reports\.html/);
    await p.getByRole('heading', { name: 'Choose a report' }).waitFor();
    await axeClean(p, 'reports page');
    await shot(p, 'reports-form');
    for (const [kind, lang] of [['doj-transfers', 'en'], ['releases-without-notice', 'en'], ['truth-forum', 'en'], ['truth-forum', 'es'], ['task-force', 'en'], ['cpra', 'en']]) {
      await p.getByRole('combobox', { name: 'Report', exact: true }).selectOption(kind);
      await p.getByLabel('Year', { exact: true }).fill('2026');
      await p.getByLabel('Language').selectOption(lang);
      await p.getByRole('button', { name: 'Produce the report' }).click();
      const want = await env.api.get(`/api/v1/reports/${kind}?year=2026${lang === 'es' ? '&lang=es' : ''}`);
      expectStatus(want, 200, `${kind} ${lang} from the API`);
      await p.locator('#result-h', { hasText: want.json.title }).waitFor();
      const got = await shownFigures(p);
      assert.deepEqual(got, want.json.figures.map((f) => [`${f.group}/${f.key}`, f.count, f.request_ids.slice(0, 60)]),
        `${kind} ${lang}: the page's figures are the API's`);
      assert.equal(await p.locator('#rows-table tbody tr').count(), want.json.rows.length, `${kind}: one row an item`);
      if (kind === 'cpra') {
        assert.equal(await p.locator('#redactions-table tbody tr').count(), want.json.redactions.length, 'cpra: one row a redaction');
        assert.doesNotMatch(await p.locator('#rows-table').innerText(), /\[object Object\]/, 'cpra: a record\'s fields as text');
      }
      for (const fmt of ['pdf', 'csv', 'json', 'html']) {
        const href = await p.locator(`#downloads a[data-format="${fmt}"]`).getAttribute('href');
        assert.equal(href, `/api/v1/reports/${kind}?year=2026${lang === 'es' ? '&lang=es' : ''}&format=${fmt}`, `${kind} ${fmt} link`);
      }
      await axeClean(p, `${kind} ${lang} shown`);
      // The cpra bundle's page is some 40,000 pixels long: its top is kept, not all of it.
      if (kind === 'cpra') await p.screenshot({ path: path.join(ART, 'reports-cpra-en-top.png') });
      else await shot(p, `reports-${kind}-${lang}`);
    }
    // A figure with more ids than are shown says where the rest are (the cpra bundle, shown
    // last, has some).
    const many = (await env.api.get('/api/v1/reports/cpra?year=2026')).json.figures.find((f) => f.request_ids.length > 60);
    assert.ok(many, 'the demo has a figure with more than 60 requests');
    await p.locator(`#figures-table tr[data-figure="${many.group}/${many.key}"]`,
      { hasText: `and ${many.request_ids.length - 60} more: every id is in the JSON and CSV downloads` }).waitFor();
    // An id opens its request.
    const first = p.locator('#figures-table tbody a').first();
    const id = (await first.textContent()).slice(1);
    await first.click();
    await p.waitForURL(new RegExp(`request\\.html\\?id=${id}$`));
  });
});

test('keyboard only: choose, produce and download the PDF; its pages have ink', async () => {
  await asRole('admin', async (p) => {
    await p.goto(url('reports.html'));
    await p.locator('#choose').waitFor();
    // From the main landmark, Tab through the form: report, the period's choice, year,
    // language, the button; each control shows a focus ring.
    await p.locator('#main').focus();
    const focused = async () => p.evaluate(() => [document.activeElement.id, getComputedStyle(document.activeElement).outlineStyle]);
    await p.keyboard.press('Tab');
    assert.equal((await focused())[0], 'kind');
    assert.notEqual((await focused())[1], 'none', 'focus ring on the report choice');
    await p.keyboard.press('ArrowDown');
    await p.keyboard.press('ArrowDown'); // truth-forum, the third
    assert.equal(await p.locator('#kind').inputValue(), 'truth-forum');
    await p.keyboard.press('Tab');
    assert.equal((await focused())[0], 'by-year');
    await p.keyboard.press('ArrowDown'); // the radio group: "from one day to another"
    assert.equal(await p.locator('#by-days').isChecked(), true);
    assert.equal(await p.locator('#from').isVisible(), true, 'the days are shown');
    await p.keyboard.press('ArrowUp'); // back to the year
    await p.keyboard.press('Tab');
    assert.equal((await focused())[0], 'year');
    await p.keyboard.press('Control+A');
    await p.keyboard.type('2026');
    await p.keyboard.press('Tab');
    assert.equal((await focused())[0], 'lang');
    await p.keyboard.press('ArrowDown');
    assert.equal(await p.locator('#lang').inputValue(), 'es');
    await p.keyboard.press('Tab');
    assert.equal(await p.evaluate(() => document.activeElement.textContent), 'Produce the report');
    assert.notEqual((await focused())[1], 'none', 'focus ring on the button');
    await p.keyboard.press('Enter');
    await p.locator('#result-h', { hasText: 'Foro comunitario' }).waitFor();
    assert.equal(await p.evaluate(() => document.activeElement.id), 'result-h', 'focus moves to the report');
    // Tab on to the PDF link (the first download) and press Enter: a download.
    for (let i = 0; i < 10; i++) {
      await p.keyboard.press('Tab');
      if (await p.evaluate(() => document.activeElement.dataset?.format === 'pdf')) break;
    }
    assert.equal(await p.evaluate(() => document.activeElement.dataset?.format), 'pdf', 'Tab reaches the PDF link');
    assert.notEqual((await focused())[1], 'none', 'focus ring on the PDF link');
    const [dl] = await Promise.all([p.waitForEvent('download'), p.keyboard.press('Enter')]);
    assert.equal(dl.suggestedFilename(), 'holdcheck-truth-forum-2026-es.pdf');
    const bytes = fs.readFileSync(await dl.path());
    assert.equal(bytes.subarray(0, 5).toString(), '%PDF-', 'the download is a PDF');
    const pngs = pdfToPngs(bytes, path.join(ART, 'reports', 'truth-forum-es'));
    assert.ok(pngs.length >= 1, 'pdftoppm rendered its pages');
    for (const png of pngs.slice(0, -1)) assert.ok(darkFraction(png) > 0.02, `${png} has ink`);
    assert.ok(darkFraction(pngs[pngs.length - 1]) > 0.003, 'the last page has ink');
    await shot(p, 'reports-keyboard');
  });
});

test('errors name the field; a database without reports is explained', async () => {
  await asRole('auditor', async (p) => {
    await p.goto(url('reports.html'));
    await p.locator('#choose').waitFor();
    // A period that ends before it starts: 400, field "to".
    await p.getByLabel('From one day to another').check();
    await p.getByLabel('First day').fill('2026-06-01');
    await p.getByLabel('Last day (included)').fill('2026-05-01');
    await p.getByRole('button', { name: 'Produce the report' }).click();
    await p.locator('#choose .form-error', { hasText: 'the period ends before it starts (field: to)' }).waitFor();
    assert.equal(await p.locator('#to').getAttribute('aria-invalid'), 'true');
    assert.equal(await p.evaluate(() => document.activeElement.id), 'to', 'focus on the field named');
    assert.equal(await p.locator('#result').isHidden(), true);
    await axeClean(p, 'reports page with an error');
    await shot(p, 'reports-error');
    // A language the report is not written in: field "lang".
    await p.getByLabel('A calendar year').check();
    await p.getByLabel('Year', { exact: true }).fill('2026');
    await p.getByRole('combobox', { name: 'Report', exact: true }).selectOption('doj-transfers');
    await p.getByLabel('Language').selectOption('es');
    await p.getByRole('button', { name: 'Produce the report' }).click();
    await p.locator('#choose .form-error', { hasText: '(field: lang)' }).waitFor();
    assert.equal(await p.locator('#lang').getAttribute('aria-invalid'), 'true');
    // The PostgreSQL backend has no reports yet: the server answers 501, which this server on
    // SQLite cannot; the answer is played back as that server sends it.
    await p.route('**/api/v1/reports/**', (r) => r.fulfill({
      status: 501, contentType: 'application/problem+json',
      body: JSON.stringify({ type: 'about:blank', title: 'Not Implemented', status: 501,
        detail: "this server's database has no reports yet (SQLite only)" }),
    }));
    await p.getByLabel('Language').selectOption('en');
    await p.getByRole('button', { name: 'Produce the report' }).click();
    await p.locator('#alert', { hasText: "Reports are not available on this server: this server's database has no reports yet (SQLite only)." }).waitFor();
    await axeClean(p, 'reports page with the 501');
  }, [/\/api\/v1\/reports\//]);
});

test('a clerk sees the refusal, no form and no link to the page', async () => {
  await asRole('clerk', async (p) => {
    assert.equal(await p.getByRole('link', { name: 'Reports' }).count(), 0, 'no Reports link for a clerk');
    await p.goto(url('reports.html'));
    await p.locator('#alert', { hasText: 'Only auditors and administrators may produce the statutory reports.' }).waitFor();
    assert.equal(await p.locator('#choose').isHidden(), true);
    await axeClean(p, 'reports page as a clerk');
    await shot(p, 'reports-clerk');
    // The server refuses the report itself to a clerk, whatever the page shows.
    const r = await p.request.get(`${env.srv.base}/api/v1/reports/doj-transfers?format=pdf`);
    assert.equal(r.status(), 403);
  }, [/\/api\/v1\/reports\//]);
});
