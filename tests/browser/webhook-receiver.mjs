// webhook-receiver.mjs: an HTTP server on 127.0.0.1 that records every request it gets, for the
// browser tests (a subscriber's webhook URL points at it). It answers 200 with an empty JSON
// object, or the statuses given in `statuses` for the first requests (to exercise retries).
//
//   import { startWebhookReceiver } from './webhook-receiver.mjs';
//   const hook = await startWebhookReceiver();     // hook.url('/hook/1')
//   const req = await hook.waitFor((r) => r.path === '/hook/1', 10000);
//   req.json, req.headers, req.body (raw string)
//   await hook.close();
//
// Run alone (`node tests/browser/webhook-receiver.mjs`) it prints its port, then each request.
import http from 'node:http';
import crypto from 'node:crypto';
import { pathToFileURL } from 'node:url';

export function startWebhookReceiver({ host = '127.0.0.1', port = 0, statuses = [], onRequest } = {}) {
  const requests = [];
  const waiters = [];
  const sockets = new Set();
  const pending = [...statuses];

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json = null;
      try { json = JSON.parse(body); } catch { /* not JSON */ }
      const rec = {
        method: req.method, path: req.url.split('?')[0], url: req.url, headers: req.headers, body, json,
        at: new Date().toISOString(),
      };
      const status = pending.length ? pending.shift() : 200;
      rec.answered = status;
      requests.push(rec);
      if (onRequest) onRequest(rec);
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end('{}');
      if (status >= 200 && status < 300) {
        for (const w of [...waiters]) {
          if (w.pred(rec)) {
            waiters.splice(waiters.indexOf(w), 1);
            clearTimeout(w.timer);
            w.resolve(rec);
          }
        }
      }
    });
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const p = server.address().port;
      resolve({
        port: p,
        host,
        requests,
        url: (path = '/') => `http://${host}:${p}${path}`,
        // Resolves with the first request answered 2xx that matches.
        waitFor(pred, timeoutMs = 10000) {
          const hit = requests.find((r) => r.answered < 300 && pred(r));
          if (hit) return Promise.resolve(hit);
          return new Promise((res, rej) => {
            const w = { pred, resolve: res };
            w.timer = setTimeout(() => {
              waiters.splice(waiters.indexOf(w), 1);
              rej(new Error(`webhook-receiver: no matching request within ${timeoutMs} ms (${requests.length} received)`));
            }, timeoutMs);
            waiters.push(w);
          });
        },
        close() {
          for (const w of waiters) clearTimeout(w.timer);
          for (const s of sockets) s.destroy();
          return new Promise((res) => server.close(() => res()));
        },
      });
    });
  });
}

// HMAC-SHA256 of the raw body, hex, for checking a signature header.
export function hmacHex(secret, body) {
  return crypto.createHmac('sha256', secret).update(body).digest('hex');
}

if (import.meta.url === pathToFileURL(process.argv[1] || '').href) {
  const hook = await startWebhookReceiver({
    port: Number(process.env.PORT || 0),
    onRequest: (r) => console.log(JSON.stringify({ method: r.method, url: r.url, headers: r.headers, body: r.body })),
  });
  console.log(`webhook-receiver: listening on ${hook.host}:${hook.port}`);
  const stop = () => hook.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
