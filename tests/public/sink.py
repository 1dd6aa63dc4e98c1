#!/usr/bin/env python3
"""sink.py: the local receivers of the subscription tests (tests/public/test_deliver.sh).

  sink.py smtp DIR [PORT]  an SMTP sink on 127.0.0.1: each accepted message is written to
                         DIR/mail-N.eml; the port is written to DIR/smtp.port once listening.
  sink.py webhook DIR [PORT]  an HTTP receiver on 127.0.0.1: each POST is written to
                         DIR/hook-N.json ({"headers": {...}, "body": "..."}); the port goes to
                         DIR/hook.port. It answers 200 and echoes the challenge of a
                         subscription.confirm, unless DIR/hook.mode says "noecho" (200, no
                         echo), "fail" (500) or "gone" (410).
  Either may end in --tls CERT KEY: the webhook receiver then speaks https, the SMTP sink
  SMTPS (TLS from the first byte); --starttls CERT KEY makes the SMTP sink offer STARTTLS.
  A message received over TLS is written with the first line "X-Sink-TLS: yes".
  sink.py verify SECRET_HEX FILE
                         check FILE's X-Holdcheck-Signature (HMAC-SHA256 over TIMESTAMP.BODY
                         with the secret) the way a receiver must; exit 0 valid, 1 not.

Test tools only: single-threaded, loopback."""
import hashlib
import hmac
import json
import os
import socket
import socketserver
import ssl
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer


def next_name(d, prefix, ext):
    n = 1
    while os.path.exists(os.path.join(d, "%s-%d.%s" % (prefix, n, ext))):
        n += 1
    return os.path.join(d, "%s-%d.%s" % (prefix, n, ext))


def write_atomic(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.rename(tmp, path)


class SMTPHandler(socketserver.StreamRequestHandler):
    def send(self, line):
        self.wfile.write((line + "\r\n").encode())

    def starttls(self):
        self.request = self.server.tls.wrap_socket(self.request, server_side=True)
        self.rfile = self.request.makefile("rb")
        self.wfile = self.request.makefile("wb", buffering=0)
        self.tls = True

    def handle(self):
        d = self.server.dir
        self.tls = self.server.smtps
        self.send("220 sink ESMTP")
        data, rcpt, mail = None, [], None
        while True:
            line = self.rfile.readline()
            if not line:
                return
            if data is not None:
                if line in (b".\r\n", b".\n"):
                    msg = (b"X-Sink-TLS: yes\r\n" if self.tls else b"") + b"".join(data)
                    write_atomic(next_name(d, "mail", "eml"), msg)
                    self.send("250 OK queued")
                    data = None
                    continue
                if line.startswith(b".."):
                    line = line[1:]
                data.append(line)
                continue
            cmd = line.decode("latin-1").strip()
            up = cmd.upper()
            if up.startswith("EHLO"):
                offer = b"250-STARTTLS\r\n" if self.server.tls and not self.tls else b""
                self.wfile.write(b"250-sink\r\n" + offer + b"250-8BITMIME\r\n250 SIZE 1000000\r\n")
            elif up == "STARTTLS" and self.server.tls and not self.tls:
                self.send("220 go ahead")
                self.starttls()
                mail, rcpt = None, []
            elif up.startswith("HELO"):
                self.send("250 sink")
            elif up.startswith("MAIL FROM:"):
                mail = cmd
                self.send("250 OK")
            elif up.startswith("RCPT TO:"):
                rcpt.append(cmd)
                self.send("250 OK")
            elif up == "DATA":
                if mail is None or not rcpt:
                    self.send("503 bad sequence")
                else:
                    data = []
                    self.send("354 go ahead")
            elif up == "QUIT":
                self.send("221 bye")
                return
            elif up == "RSET":
                mail, rcpt = None, []
                self.send("250 OK")
            else:
                self.send("500 unknown command")


class Hook(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def do_POST(self):
        d = self.server.dir
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n)
        mode = ""
        try:
            with open(os.path.join(d, "hook.mode")) as f:
                mode = f.read().strip()
        except OSError:
            pass
        if mode == "fail":
            self.send_response(500)
            self.end_headers()
            return
        if mode == "gone":
            self.send_response(410)
            self.end_headers()
            return
        rec = {"headers": {k.lower(): v for k, v in self.headers.items()},
               "body": body.decode("utf-8"), "path": self.path}
        write_atomic(next_name(d, "hook", "json"), json.dumps(rec).encode())
        out = b"ok"
        try:
            ev = json.loads(body)
            if ev.get("type") == "subscription.confirm" and mode != "noecho":
                out = ev["data"]["challenge"].encode()
        except (ValueError, KeyError, TypeError):
            pass
        self.send_response(200)
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)


def verify(secret_hex, path):
    with open(path) as f:
        rec = json.load(f)
    h = rec["headers"]
    ts, sig = h.get("x-holdcheck-timestamp", ""), h.get("x-holdcheck-signature", "")
    mac = hmac.new(bytes.fromhex(secret_hex), (ts + ".").encode() + rec["body"].encode("utf-8"),
                   hashlib.sha256).hexdigest()
    return sig.startswith("sha256=") and hmac.compare_digest(sig[7:], mac)


def main():
    mode = sys.argv[1]
    if mode == "verify":
        sys.exit(0 if verify(sys.argv[2], sys.argv[3]) else 1)
    d = sys.argv[2]
    args = sys.argv[3:]
    port = int(args.pop(0)) if args and not args[0].startswith("--") else 0
    tls, smtps = None, False
    if args and args[0] in ("--tls", "--starttls"):
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(args[1], args[2])
        smtps = args[0] == "--tls"
    if mode == "smtp":
        socketserver.TCPServer.allow_reuse_address = True
        srv = socketserver.TCPServer(("127.0.0.1", port), SMTPHandler)
        port_file = "smtp.port"
        if smtps:
            srv.socket = tls.wrap_socket(srv.socket, server_side=True)
    else:
        srv = HTTPServer(("127.0.0.1", port), Hook)
        port_file = "hook.port"
        if tls is not None:
            srv.socket = tls.wrap_socket(srv.socket, server_side=True)
    srv.dir = d
    srv.tls = tls
    srv.smtps = smtps
    write_atomic(os.path.join(d, port_file), str(srv.server_address[1]).encode())
    srv.serve_forever()


if __name__ == "__main__":
    main()
