// holdcheck.mjs: a real `holdcheck serve` for the browser tests, on a fresh database in a
// temporary directory, as tests/http/lib.sh does it: migrate, demo data, users, then serve on a
// free 127.0.0.1 port with a configuration file. stop() ends the server and removes the
// directory; every process started here is also killed if the test process exits early.
import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);
// The reports tests/lib/sanitizer.sh looks for: ASan, LSan, UBSan, failed assertions.
const SANITIZER = /ERROR: AddressSanitizer|ERROR: LeakSanitizer|WARNING: AddressSanitizer|LeakSanitizer: detected|SUMMARY: (Address|Leak|UndefinedBehavior)Sanitizer|runtime error:|Assertion .* failed|Assertion failed/;
const live = new Set();
process.on('exit', () => { for (const p of live) { try { p.kill('SIGKILL'); } catch { /* gone */ } } });

export async function run(bin, args, opts = {}) {
  try {
    const { stdout } = await execFileP(bin, args, { timeout: 120000, maxBuffer: 64 << 20, ...opts });
    return stdout;
  } catch (e) {
    throw new Error(`${path.basename(bin)} ${args.join(' ')} failed (${e.code ?? e.signal}): ${e.stderr || e.message}`);
  }
}

// A port the kernel just gave out and took back: free now, and the server binds it right away.
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

export function tempDir(prefix = 'hc-browser-') {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

// holdcheck migrate + demo; returns the database path.
export async function makeDb(bin, dir, { bookings = 0, seed = 1, name = 'public.db' } = {}) {
  const db = path.join(dir, name);
  await run(bin, ['migrate', '--db', db]);
  if (bookings > 0) await run(bin, ['demo', '--db', db, '--bookings', String(bookings), '--seed', String(seed)]);
  return db;
}

// holdcheck user add; returns the API token it prints once.
export async function addUser(bin, db, name, role) {
  const out = await run(bin, ['user', 'add', '--db', db, name, '--role', role]);
  const m = /^token: (\S+)$/m.exec(out);
  if (!m) throw new Error(`user add ${name}: no token in its output`);
  return m[1];
}

// Starts `holdcheck serve --config FILE` with `settings` (key = value lines, docs/configuration.md)
// plus db, listen and public_base_url. Resolves once /healthz answers.
export async function startServer(bin, { dir, db, settings = {}, timeoutMs = 20000 }) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const conf = { db, listen: `127.0.0.1:${port}`, public_base_url: base, log_level: 'warn', ...settings };
  const cfgPath = path.join(dir, `holdcheck-${port}.conf`);
  fs.writeFileSync(cfgPath, Object.entries(conf).map(([k, v]) => `${k} = ${v}`).join('\n') + '\n');
  const child = spawn(bin, ['serve', '--config', cfgPath], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TZ: 'America/Los_Angeles' } });
  live.add(child);
  let output = '';
  child.stdout.on('data', (c) => { output += c; });
  child.stderr.on('data', (c) => { output += c; });
  const exited = new Promise((resolve) => child.once('exit', (code, sig) => { live.delete(child); resolve({ code, sig }); }));
  let gone = null;
  exited.then((r) => { gone = r; });

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (gone) throw new Error(`holdcheck serve exited (${gone.code ?? gone.sig}) before answering:\n${output}`);
    try {
      const r = await fetch(base + '/healthz');
      if (r.ok) break;
    } catch { /* not yet */ }
    if (Date.now() > deadline) { child.kill('SIGKILL'); throw new Error(`holdcheck serve did not become healthy:\n${output}`); }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    base,
    port,
    pid: child.pid,
    output: () => output,
    // SIGTERM, then SIGKILL if it has not stopped within 20 s (a delivery in flight may take 15).
    // As tests/lib/server.sh's srv_stop: throws unless the server exits 0 on that SIGTERM (not
    // before it, not killed) with no sanitizer report or failed assertion in its output.
    async stop() {
      const early = gone;
      if (!gone) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => { if (!gone) child.kill('SIGKILL'); }, 20000);
        await exited;
        clearTimeout(timer);
      }
      const r = gone;
      const report = SANITIZER.exec(output);
      if (early) throw new Error(`holdcheck serve exited on its own (${r.code ?? r.sig}) before stop():\n${output.slice(-2000)}`);
      if (r.code !== 0) throw new Error(`holdcheck serve did not exit 0 on SIGTERM (${r.code ?? r.sig}):\n${output.slice(-2000)}`);
      if (report) throw new Error(`holdcheck serve's log has a sanitizer or assertion report:\n${output.slice(report.index, report.index + 2000)}`);
      return r;
    },
  };
}

// A small client of the staff and public JSON API for setting up and checking the tests.
export function client(base, token) {
  async function req(method, p, body, headers = {}) {
    const h = { Accept: 'application/json', ...headers };
    if (token) h.Authorization = `Bearer ${token}`;
    let payload;
    if (body !== undefined) {
      if (typeof body === 'string') payload = body;
      else { payload = JSON.stringify(body); h['Content-Type'] = 'application/json'; }
    }
    const r = await fetch(base + p, { method, headers: h, body: payload, redirect: 'manual' });
    const text = await r.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    return { status: r.status, headers: r.headers, json, text };
  }
  return {
    req,
    get: (p) => req('GET', p),
    post: (p, b, h) => req('POST', p, b, h),
    put: (p, b) => req('PUT', p, b),
    patch: (p, b) => req('PATCH', p, b),
  };
}

// Throws with the answer when the status is not the expected one.
export function expectStatus(res, want, what) {
  if (res.status !== want) throw new Error(`${what}: status ${res.status}, want ${want}: ${res.text.slice(0, 400)}`);
  return res;
}
