// smtp-sink.mjs: a minimal SMTP server on 127.0.0.1 that accepts every message and keeps it in
// memory, for the browser tests (holdcheck's mail relay setting points at it). It speaks enough
// of RFC 5321 for a client that sends EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP and QUIT; it offers
// no STARTTLS and no AUTH, and accepts AUTH PLAIN/LOGIN if a client sends it anyway.
//
//   import { startSmtpSink } from './smtp-sink.mjs';
//   const sink = await startSmtpSink();      // sink.port
//   const msg = await sink.waitFor((m) => m.to.includes('a@example.org'), 10000);
//   msg.text                                   // headers + decoded body (quoted-printable, base64)
//   await sink.close();
//
// Run alone (`node tests/browser/smtp-sink.mjs`) it prints its port, then each message as JSON.
import net from 'node:net';
import { pathToFileURL } from 'node:url';

export function decodeQuotedPrintable(s) {
  const bytes = [];
  const soft = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < soft.length; i++) {
    const c = soft[i];
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

// Splits a message into headers and body parts and decodes each part's transfer encoding.
export function parseMessage(raw) {
  const split = raw.search(/\r?\n\r?\n/);
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (m) headers[m[1].toLowerCase()] = m[2];
  }
  const parts = [];
  const ctype = headers['content-type'] || 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(ctype);
  if (/^multipart\//i.test(ctype) && boundary) {
    for (const chunk of body.split('--' + boundary[1]).slice(1)) {
      if (/^--/.test(chunk)) break;
      parts.push(...parseMessage(chunk.replace(/^\r?\n/, '')).parts);
    }
  } else {
    const enc = (headers['content-transfer-encoding'] || '').toLowerCase();
    let text = body;
    if (enc === 'quoted-printable') text = decodeQuotedPrintable(body);
    else if (enc === 'base64') text = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    parts.push({ type: ctype, text });
  }
  return { headers, parts };
}

export function startSmtpSink({ host = '127.0.0.1', port = 0, onMessage } = {}) {
  const messages = [];
  const waiters = [];
  const sockets = new Set();

  function deliver(msg) {
    messages.push(msg);
    if (onMessage) onMessage(msg);
    for (const w of [...waiters]) {
      if (w.pred(msg)) {
        waiters.splice(waiters.indexOf(w), 1);
        clearTimeout(w.timer);
        w.resolve(msg);
      }
    }
  }

  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    sock.setEncoding('utf8');
    let buf = '';
    let inData = false;
    let authStep = null;
    let env = { from: null, to: [] };
    const reply = (s) => { if (!sock.destroyed) sock.write(s + '\r\n'); };
    reply('220 holdcheck-test-sink ESMTP ready');
    sock.on('data', (chunk) => {
      buf += chunk;
      for (;;) {
        if (inData) {
          const end = buf.search(/\r?\n\.\r?\n/);
          // A message that is only "." right after DATA.
          const emptyEnd = /^\.\r?\n/.test(buf) ? 0 : -1;
          if (end < 0 && emptyEnd < 0) return;
          let raw;
          if (emptyEnd === 0) { raw = ''; buf = buf.replace(/^\.\r?\n/, ''); }
          else {
            raw = buf.slice(0, end);
            buf = buf.slice(end).replace(/^\r?\n\.\r?\n/, '');
          }
          raw = raw.replace(/^\.\./gm, '.'); // undo dot-stuffing
          inData = false;
          const parsed = parseMessage(raw);
          deliver({
            from: env.from, to: env.to, raw, headers: parsed.headers, parts: parsed.parts,
            text: raw.slice(0, Math.max(0, raw.search(/\r?\n\r?\n/))) + '\n\n' + parsed.parts.map((p) => p.text).join('\n'),
            at: new Date().toISOString(),
          });
          env = { from: null, to: [] };
          reply('250 2.0.0 queued');
          continue;
        }
        const nl = buf.indexOf('\n');
        if (nl < 0) return;
        const line = buf.slice(0, nl).replace(/\r$/, '');
        buf = buf.slice(nl + 1);
        if (authStep) { // AUTH LOGIN: a username line, then a password line
          if (authStep === 'user') { authStep = 'pass'; reply('334 UGFzc3dvcmQ6'); }
          else { authStep = null; reply('235 2.7.0 accepted'); }
          continue;
        }
        const verb = line.split(' ')[0].toUpperCase();
        const arg = line.slice(verb.length).trim();
        if (verb === 'EHLO') { reply('250-holdcheck-test-sink'); reply('250-8BITMIME'); reply('250-SMTPUTF8'); reply('250-AUTH PLAIN LOGIN'); reply('250 SIZE 10485760'); }
        else if (verb === 'HELO') reply('250 holdcheck-test-sink');
        else if (verb === 'MAIL') { env.from = (/<([^>]*)>/.exec(arg) || [])[1] ?? arg; reply('250 2.1.0 ok'); }
        else if (verb === 'RCPT') {
          if (!env.from && env.from !== '') { reply('503 5.5.1 MAIL first'); continue; }
          env.to.push((/<([^>]*)>/.exec(arg) || [])[1] ?? arg); reply('250 2.1.5 ok');
        }
        else if (verb === 'DATA') {
          if (env.to.length === 0) { reply('554 5.5.1 no valid recipients'); continue; }
          inData = true; reply('354 end data with <CR><LF>.<CR><LF>');
        }
        else if (verb === 'RSET') { env = { from: null, to: [] }; reply('250 2.0.0 ok'); }
        else if (verb === 'NOOP') reply('250 2.0.0 ok');
        else if (verb === 'AUTH') {
          if (/^LOGIN\b/i.test(arg) && arg.split(' ').length === 1) { authStep = 'user'; reply('334 VXNlcm5hbWU6'); }
          else reply('235 2.7.0 accepted');
        }
        else if (verb === 'QUIT') { reply('221 2.0.0 bye'); sock.end(); return; }
        else if (verb === '') continue;
        else reply('502 5.5.2 command not implemented');
      }
    });
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      resolve({
        port: server.address().port,
        host,
        messages,
        waitFor(pred, timeoutMs = 10000) {
          const hit = messages.find(pred);
          if (hit) return Promise.resolve(hit);
          return new Promise((res, rej) => {
            const w = { pred, resolve: res };
            w.timer = setTimeout(() => {
              waiters.splice(waiters.indexOf(w), 1);
              rej(new Error(`smtp-sink: no matching message within ${timeoutMs} ms (${messages.length} received)`));
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

// Links (http and https) in a text, in order, without trailing punctuation.
export function linksIn(text) {
  return [...text.matchAll(/https?:\/\/[^\s<>"')\]]+/g)].map((m) => m[0].replace(/[.,;:]+$/, ''));
}

if (import.meta.url === pathToFileURL(process.argv[1] || '').href) {
  const sink = await startSmtpSink({
    port: Number(process.env.PORT || 0),
    onMessage: (m) => console.log(JSON.stringify({ from: m.from, to: m.to, subject: m.headers.subject, text: m.text })),
  });
  console.log(`smtp-sink: listening on ${sink.host}:${sink.port}`);
  const stop = () => sink.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
