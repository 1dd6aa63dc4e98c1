// lib.mjs: helpers of the console's browser tests: a server with users of every role and a
// few bookings, sign-in through the page, a watcher of page errors that knows which API errors
// the tests cause on purpose, axe checks that fail the test, screenshots.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { launch, axe, formatViolations, screenshot } from '../lib/browser.mjs';
import { makeDb, addUser, startServer, tempDir, client, expectStatus, run } from '../lib/holdcheck.mjs';

export const BIN = process.env.HOLDCHECK || 'build/holdcheck';
export const ART = path.join(process.env.BROWSER_ARTIFACTS || 'build/browser-artifacts', 'console');
export const ROLES = ['clerk', 'supervisor', 'auditor', 'admin'];

// A fresh database with one user per role (their passwords and tokens), the server on it (with
// settings: more key = value lines of its configuration), and the bookings the tests use
// (synthetic people).
export async function setup({ settings = {} } = {}) {
  const dir = tempDir('hc-console-browser-');
  const db = await makeDb(BIN, dir, { name: 'console.db' });
  const users = {};
  for (const r of ROLES) {
    const out = await run(BIN, ['user', 'add', '--db', db, `b-${r}`, '--role', r]);
    users[r] = { name: `b-${r}`, password: /^password: (\S+)$/m.exec(out)[1], token: /^token: (\S+)$/m.exec(out)[1] };
  }
  const srv = await startServer(BIN, { dir, db, settings });
  const api = client(srv.base, users.admin.token);
  const soon = new Date(Date.now() + 24 * 3600 * 1000).toISOString().slice(0, 10);
  const later = new Date(Date.now() + 20 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  const bookings = [
    { booking_no: 'CB-0001', booked_at: '2026-01-10', facility: 'Test Main Jail', scheduled_release: soon,
      person: { name: 'Testperson, Alpha', date_of_birth: '1990-02-03', local_id: 'CBP-1',
        convictions: [{ citation: 'PC 211', level: 'felony', date: '2019-03-02', court: 'Superior Court' }] },
      charges: [{ citation: 'PC 459', level: 'felony', status: 'pending' }, { citation: 'PC 484', level: 'misdemeanor', status: 'dismissed' }] },
    { booking_no: 'CB-0002', booked_at: '2026-02-11', facility: 'Test Main Jail', scheduled_release: later,
      person: { name: 'Testperson, Bravo', local_id: 'CBP-2', convictions: [] } },
  ];
  for (const b of bookings) expectStatus(await api.post('/api/v1/bookings', b), 201, `booking ${b.booking_no}`);
  return {
    dir, db, srv, users, api,
    async close() { await srv.stop(); fs.rmSync(dir, { recursive: true, force: true }); },
  };
}

// Records what a page must never do: script errors, console errors other than the API answers
// the test provokes (expected: an array of RegExp of URLs), failed requests, missing files.
export function watch(page, base, expected = []) {
  const seen = [];
  const ok = (u) => expected.some((re) => re.test(u));
  page.on('pageerror', (e) => seen.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const u = m.location()?.url || '';
    if (/Failed to load resource/.test(m.text()) && (u.includes('/api/') && (ok(u) || /status of 40[13]/.test(m.text())))) return;
    seen.push(`console: ${m.text()} (${u})`);
  });
  // A request cut short because the test navigated on (the icon, a pending fetch) is not a
  // fault of the page.
  page.on('requestfailed', (r) => {
    const why = r.failure()?.errorText || '';
    if (r.url().startsWith(base) && why !== 'net::ERR_ABORTED') seen.push(`requestfailed: ${r.url()} ${why}`);
  });
  page.on('response', (r) => {
    const u = r.url();
    if (u.startsWith(base) && !u.includes('/api/') && r.status() >= 400) seen.push(`static ${r.status()}: ${u}`);
  });
  return { problems: () => [...seen], clear: () => { seen.length = 0; } };
}

// The tests' asRole(role, fn, expected): a new page of the browser got(), signed in as role on
// the server of env(), watched for errors (expected: API URLs whose errors the test causes);
// fn(page) runs the test, and a problem the page had fails it.
export function roleRunner(got, env) {
  return async function asRole(role, fn, expected = []) {
    const { context } = got();
    const { srv, users } = env();
    const page = await context.newPage();
    const w = watch(page, srv.base, expected);
    try {
      await context.clearCookies();
      await signIn(page, srv.base, users[role]);
      await fn(page);
      if (w.problems().length) throw new Error(`page problems as ${role}:\n${w.problems().join('\n')}`);
    } finally {
      await page.close();
    }
  };
}

// axe-core on the page as it is: throws with the violations.
export async function axeClean(page, what) {
  const v = await axe(page);
  if (v.length) throw new Error(`axe: ${what}:\n${formatViolations(v)}`);
}

export async function shot(page, name) {
  return screenshot(page, ART, name);
}

// Signs in through the sign-in page and waits for the queue.
export async function signIn(page, base, user) {
  await page.goto(`${base}/console/`);
  await page.getByLabel('User name').fill(user.name);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/console\/queue\.html/);
  await page.getByText(`Signed in as ${user.name}`).waitFor();
}

// PDF bytes -> PNG pages with pdftoppm; returns the PNG paths.
export function pdfToPngs(pdf, prefix) {
  fs.mkdirSync(path.dirname(prefix), { recursive: true });
  fs.writeFileSync(`${prefix}.pdf`, pdf);
  execFileSync('pdftoppm', ['-r', '60', '-png', `${prefix}.pdf`, prefix]);
  const dir = path.dirname(prefix);
  const base = path.basename(prefix);
  return fs.readdirSync(dir).filter((f) => f.startsWith(base + '-') && f.endsWith('.png')).sort().map((f) => path.join(dir, f));
}

export { launch, addUser, client, expectStatus };

// The fraction of dark pixels (luma < 128) of an 8-bit PNG as pdftoppm writes it (grey, RGB or
// RGBA, not interlaced): enough to tell a page with text from a blank one.
export function darkFraction(file) {
  const zlib = requireZlib();
  const buf = fs.readFileSync(file);
  let pos = 8, width = 0, height = 0, ctype = 0, depth = 0;
  const idat = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') { width = data.readUInt32BE(0); height = data.readUInt32BE(4); depth = data[8]; ctype = data[9]; if (data[12] !== 0) throw new Error('interlaced PNG'); }
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    pos += 12 + len;
  }
  if (depth !== 8) throw new Error(`PNG depth ${depth}`);
  const bpp = { 0: 1, 2: 3, 4: 2, 6: 4 }[ctype];
  if (!bpp) throw new Error(`PNG colour type ${ctype}`);
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  let prev = Buffer.alloc(stride), dark = 0;
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    const line = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? line[x - bpp] : 0, b = prev[x], c = x >= bpp ? prev[x - bpp] : 0;
      let v = line[x];
      if (f === 1) v += a;
      else if (f === 2) v += b;
      else if (f === 3) v += (a + b) >> 1;
      else if (f === 4) { const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c); v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c; }
      line[x] = v & 255;
    }
    for (let x = 0; x < width; x++) {
      const i = x * bpp;
      const l = bpp >= 3 ? (line[i] * 299 + line[i + 1] * 587 + line[i + 2] * 114) / 1000 : line[i];
      if (l < 128) dark++;
    }
    prev = line;
  }
  return dark / (width * height);
}

import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
function requireZlib() { return require('node:zlib'); }

// The characters of a language's script that a notice must contain (in pdftotext's output).
export const SCRIPT = {
  en: /[A-Za-z]{4}/, es: /[áéíóúñ]/i, tl: /[A-Za-z]{4}/,
  vi: /[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]/i,
  zh: /\p{Script=Han}{2}/u, ko: /\p{Script=Hangul}{2}/u,
};
// The font pdffonts must list for the script.
export const FONT = { zh: /NotoSansCJK-?tc/i, ko: /NotoSansCJK-?kr/i, en: /NotoSans/, es: /NotoSans/, tl: /NotoSans/, vi: /NotoSans/ };
