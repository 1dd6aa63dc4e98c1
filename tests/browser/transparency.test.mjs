// transparency.test.mjs: the public transparency page (docs/transparency.md) in Debian's
// chromium against `holdcheck serve` on a demo county with a year of history.
// Run: HOLDCHECK=build/holdcheck node --test --test-concurrency=1 tests/browser/transparency.test.mjs
// (or `make check-browser`). Each state is checked with axe-core (zero violations) and kept as
// a screenshot under build/browser-artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { launch, watch, axe, formatViolations, screenshot } from './lib/browser.mjs';
import { run, startServer, tempDir } from './lib/holdcheck.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const BIN = path.resolve(process.env.HOLDCHECK || path.join(repo, 'build/holdcheck'));
const ARTIFACTS = path.resolve(process.env.BROWSER_ARTIFACTS || path.join(repo, 'build/browser-artifacts'));
const YEAR = 2026;
const CHARTS = ['received-by-month', 'received-by-type', 'outcome', 'actions', 'access',
  'transfers-by-basis', 'releases-without-notice'];

let dir, server, browser;

before(async () => {
  dir = tempDir('hc-transparency-');
  const db = path.join(dir, 't.db');
  await run(BIN, ['migrate', '--db', db]);
  await run(BIN, ['demo', '--db', db, '--bookings', '3000', '--seed', '3', '--today', '2026-11-30', '--history']);
  server = await startServer(BIN, { dir, db, settings: { transparency_page: 'yes' } });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function check(page, name) {
  const violations = await axe(page);
  await screenshot(page, ARTIFACTS, name);
  assert.equal(violations.length, 0, `axe-core violations on "${name}":\n${formatViolations(violations)}`);
  assert.deepEqual(page.problems.problems(), [], `page problems on "${name}"`);
}

test('the page: every chart an image named and described, with its table; axe finds nothing', async () => {
  const page = await browser.context.newPage();
  page.problems = watch(page, server.base);
  await page.goto(`${server.base}/transparency?year=${YEAR}`);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  for (const id of CHARTS) {
    const svg = page.locator(`svg[aria-labelledby="${id}-t ${id}-d"]`);
    assert.equal(await svg.getAttribute('role'), 'img', id);
    const name = await page.evaluate((i) => document.getElementById(`${i}-t`).textContent, id);
    const caption = await page.locator(`section[aria-labelledby="${id}-h"] table caption`).textContent();
    assert.equal(caption, name, `${id}: the table is captioned as the chart is titled`);
    // The chart's bars and the table's numbers are the same figures.
    const bars = await page.$$eval(`svg[aria-labelledby="${id}-t ${id}-d"] text:not([text-anchor])`, (t) => t.map((e) => e.textContent));
    const cells = await page.$$eval(`section[aria-labelledby="${id}-h"] td.n`, (t) => t.map((e) => e.textContent));
    assert.deepEqual(bars, cells, `${id}: bars and table agree`);
  }
  const months = await page.$$eval('section[aria-labelledby="received-by-month-h"] tbody th', (t) => t.length);
  assert.equal(months, 12);
  await check(page, 'transparency-en');
  await page.close();
});

test('keyboard: Tab reaches every link, each with a visible focus ring', async () => {
  const page = await browser.context.newPage();
  page.problems = watch(page, server.base);
  await page.goto(`${server.base}/transparency?year=${YEAR}`);
  const links = await page.$$eval('a', (as) => as.map((a) => a.textContent));
  const reached = [];
  for (let i = 0; i < links.length; i++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(() => {
      const e = document.activeElement;
      const s = getComputedStyle(e);
      return { tag: e.tagName, text: e.textContent, outline: s.outlineStyle, width: parseFloat(s.outlineWidth) };
    });
    assert.equal(f.tag, 'A');
    assert.ok(f.outline !== 'none' && f.width >= 2, `focus on "${f.text}" is visible`);
    reached.push(f.text);
  }
  assert.deepEqual(reached, links);
  // The language link leads to the Spanish page, which passes too.
  await page.getByRole('link', { name: 'Español' }).press('Enter');
  await page.waitForURL(/lang=es/);
  assert.equal(await page.getAttribute('html', 'lang'), 'es');
  assert.match(await page.locator('h1').textContent(), /Solicitudes de inmigración/);
  await check(page, 'transparency-es');
  await page.close();
});

test('narrow screen: the charts fit, nothing scrolls sideways', async () => {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 360, height: 740 });
  page.problems = watch(page, server.base);
  await page.goto(`${server.base}/transparency?year=${YEAR}`);
  const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  assert.equal(wide, false);
  await check(page, 'transparency-narrow');
  await page.close();
});
