// browser.mjs: Debian's chromium driven by playwright-core, axe-core checks and screenshots.
// Never downloads a browser: it launches /usr/bin/chromium (or $CHROMIUM) with a fresh profile.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

// A persistent context on a fresh user-data-dir (removed by close()).
export async function launch({ locale = 'en-US', viewport = { width: 1024, height: 800 } } = {}) {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium (tools/install-deps.sh)`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    locale,
    viewport,
    timezoneId: 'America/Los_Angeles',
    reducedMotion: 'reduce',
  });
  context.setDefaultTimeout(10000);
  return {
    context,
    async close() {
      try { await context.close(); } finally { fs.rmSync(profile, { recursive: true, force: true }); }
    },
  };
}

// Records what a page should never do: script errors, console errors (CSP violations among
// them), failed requests for the page's own files. problems() lists them.
export function watch(page, baseUrl) {
  const seen = [];
  page.on('pageerror', (e) => seen.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = m.text();
    // A failed API call is shown on the page (and tested); chromium also logs it. Only the
    // page's own errors and policy violations count here.
    if (/Failed to load resource: the server responded with a status of (4\d\d|5\d\d)/.test(text) &&
        /\/api\/v1\/public\//.test(m.location()?.url || '')) return;
    seen.push(`console: ${text}`);
  });
  page.on('requestfailed', (r) => {
    if (r.url().startsWith(baseUrl)) seen.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    const u = r.url();
    if (u.startsWith(baseUrl) && !u.includes('/api/') && r.status() >= 400) seen.push(`static ${r.status()}: ${u}`);
  });
  return { problems: () => [...seen], clear: () => { seen.length = 0; } };
}

// Runs axe-core (WCAG 2.0/2.1/2.2 A and AA, and best practices) on the page as it is; returns
// the violations. The script is evaluated through the DevTools protocol, so the page's CSP
// (script-src 'self') still applies to everything else.
export async function axe(page) {
  const has = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!has) await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    }));
  });
  return result;
}

export function formatViolations(vs) {
  return vs.map((v) => `${v.id} (${v.impact}): ${v.help}\n` +
    v.nodes.map((n) => `    ${n.target}: ${(n.summary || '').replace(/\n/g, ' ')}`).join('\n')).join('\n');
}

// Saves a full-page screenshot as DIR/NN-name.png and returns its path.
let shotNo = 0;
export async function screenshot(page, dir, name) {
  fs.mkdirSync(dir, { recursive: true });
  shotNo += 1;
  const file = path.join(dir, `${String(shotNo).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
  return file;
}
