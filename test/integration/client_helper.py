#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers for the client_*.sh integration tests (not a test by itself).

  client_helper.py run --accountd 'CMD ARG..' --config FILE [--count FILE] -- CLIENT COMMAND ARGS..
      Runs our client the way lacme's master does: CONFIG_FD = FILE opened read-only, SOCKET_FD =
      one end of a socketpair whose other end is accountd's stdin/stdout (`CMD ARG.. --stdio`).
      With --count, relays the socket and appends the number of signing requests to FILE.
  client_helper.py count FILE CMD ARG..
      An accountd command for lacme's master: runs CMD ARG.. (the master's --stdio etc. appended)
      relaying stdin/stdout, and appends the number of signing requests to FILE at the end.
  client_helper.py webserver FD
      A concurrent stand-in for lacme's webserver (`webserver FD`, FD a listening socket, cwd the
      challenge directory): a thread per connection and a large listen backlog, so no fetch waits.
  client_helper.py http01 PORT DIR
      The same, listening on 127.0.0.1:PORT itself and serving the challenge files in DIR.
  client_helper.py ari-id CERT.pem
      The RFC 9773 certificate identifier of the (first) certificate in CERT.pem.
  client_helper.py fake-ca PORT CERT KEY MODE
      A tiny HTTPS "CA": MODE junk (directory is not JSON), html (HTML error page), huge (10 MiB
      body), slow (answers {} after 5 s), flaky (503 + Retry-After twice on the directory, 500 once on
      newAccount, then accountDoesNotExist), ari (directory with renewalInfo; serves the window $ARI_START..$ARI_END,
      2030-01-01..02 by default; accepts any account; logs newOrder payloads to $ORDER_LOG and refuses them), stuck (an order
      that stays pending, polled with Retry-After: 1), order (one order shaped by environment
      variables: huge Retry-After values, alternate chains, odd URLs; see order_ca).
"""
import json
import os
import select
import socket
import ssl
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def relay(a, b_in, b_out, count_file):
    """Relays a (socket) <-> b (fds) until either side closes; counts lines a sends."""
    lines = 0
    fds = {a.fileno(): "a", b_out: "b"}
    try:
        while True:
            r, _, _ = select.select(list(fds), [], [])
            for fd in r:
                data = os.read(fd, 65536)
                if not data:
                    return lines
                if fds[fd] == "a":
                    lines += data.count(b"\n")
                    os.write(b_in, data)
                else:
                    a.sendall(data)
    finally:
        if count_file:
            with open(count_file, "a") as f:
                f.write("%d\n" % lines)


def cmd_run(argv):
    accountd = None
    config = None
    count = None
    while argv and argv[0] != "--":
        opt = argv.pop(0)
        if opt == "--accountd":
            accountd = argv.pop(0).split()
        elif opt == "--config":
            config = argv.pop(0)
        elif opt == "--count":
            count = argv.pop(0)
        else:
            sys.exit("client_helper run: unknown option " + opt)
    argv.pop(0)
    client, command, *rest = argv
    ours, theirs = socket.socketpair()
    if count:
        mid_a, mid_b = socket.socketpair()
        acc = subprocess.Popen(accountd + ["--stdio"], stdin=mid_b.fileno(), stdout=mid_b.fileno())
        mid_b.close()
        t = threading.Thread(target=relay, args=(theirs, mid_a.fileno(), mid_a.fileno(), count))
        t.start()
    else:
        acc = subprocess.Popen(accountd + ["--stdio"], stdin=theirs.fileno(), stdout=theirs.fileno())
        theirs.close()
        t = None
    cfd = os.open(config, os.O_RDONLY)
    rc = subprocess.call([client, command, str(cfd), str(ours.fileno())] + rest, pass_fds=(cfd, ours.fileno()))
    ours.close()
    os.close(cfd)
    if t:
        t.join()
    acc.wait()
    sys.exit(rc)


def cmd_count(argv):
    count_file, *cmd = argv
    child_sock, mine = socket.socketpair()
    proc = subprocess.Popen(cmd, stdin=child_sock.fileno(), stdout=child_sock.fileno())
    child_sock.close()
    # The master talks to us on stdin/stdout (one socket): relay lines to accountd and back.
    lines = 0
    try:
        while True:
            r, _, _ = select.select([0, mine.fileno()], [], [])
            if 0 in r:
                data = os.read(0, 65536)
                if not data:
                    break
                lines += data.count(b"\n")
                mine.sendall(data)
            if mine.fileno() in r:
                data = mine.recv(65536)
                if not data:
                    break
                os.write(1, data)
    finally:
        with open(count_file, "a") as f:
            f.write("%d\n" % lines)
        mine.close()
        proc.wait()


def cmd_fake_ca(argv):
    port, cert, key, mode = int(argv[0]), argv[1], argv[2], argv[3]
    base = "https://127.0.0.1:%d" % port
    hits = {}
    lock = threading.Lock()

    def hit(path):
        with lock:
            hits[path] = hits.get(path, 0) + 1
            return hits[path]

    def jws_payload(raw):
        import base64
        p = json.loads(raw)["payload"]
        return base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)).decode() if p else ""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            sys.stderr.write("%s %s\n" % (self.command, self.path))

        def send(self, code, ctype, body, extra=()):
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Replay-Nonce", "bm9uY2U")
            for k, v in extra:
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_HEAD(self):
            self.do_GET()

        def do_POST(self):
            n = int(self.headers.get("Content-Length", "0"))
            self.body = self.rfile.read(n)
            self.do_GET()

        def do_GET(self):
            if mode == "junk":
                return self.send(200, "application/json", b'{"newNonce": "https://x", oops')
            if mode == "html":
                return self.send(502, "text/html", b"<html><body><h1>502 Bad Gateway</h1>\n</body></html>\n")
            if mode == "huge":
                return self.send(200, "application/json", b"[" + b" " * (10 * 1024 * 1024) + b"]")
            if mode == "slow":
                time.sleep(5)
                return self.send(200, "application/json", b"{}")
            directory = {"newNonce": base + "/nonce", "newAccount": base + "/acct", "newOrder": base + "/order",
                         "revokeCert": base + "/revoke"}
            problem = "application/problem+json"
            if mode == "flaky":
                n = hit(self.command + " " + self.path)
                if self.path == "/dir":
                    if n <= 2:
                        return self.send(503, problem, b'{"type":"urn:ietf:params:acme:error:serverInternal"}',
                                         [("Retry-After", "1")])
                    return self.send(200, "application/json", json.dumps(directory).encode())
                if self.path == "/nonce":
                    return self.send(200, "text/plain", b"")
                if self.path == "/acct" and n == 1:
                    return self.send(500, "text/html", b"<html>oops</html>")
                return self.send(400, problem, b'{"type":"urn:ietf:params:acme:error:accountDoesNotExist",'
                                               b'"detail":"no account for this key"}')
            if mode == "stuck":
                hit(self.command + " " + self.path)
                if self.path == "/dir":
                    return self.send(200, "application/json", json.dumps(directory).encode())
                if self.path == "/nonce":
                    return self.send(200, "text/plain", b"")
                if self.path == "/acct":
                    return self.send(200, "application/json", b'{"status":"valid"}', [("Location", base + "/acct/1")])
                order = {"status": "pending", "identifiers": [{"type": "dns", "value": "stuck.example"}],
                         "authorizations": [], "finalize": base + "/finalize"}
                if self.path == "/order":
                    return self.send(201, "application/json", json.dumps(order).encode(), [("Location", base + "/order/1")])
                if self.path == "/order/1":
                    return self.send(200, "application/json", json.dumps(order).encode(), [("Retry-After", "1")])
                if self.path == "/finalize":
                    return self.send(403, problem, b'{"type":"urn:ietf:params:acme:error:orderNotReady",'
                                                   b'"detail":"not yet"}', [("Retry-After", "1")])
                return self.send(404, problem, b'{"type":"urn:ietf:params:acme:error:malformed"}')
            if mode == "order":
                return order_ca(self, directory)
            if mode == "ari":
                if self.path == "/nonce":
                    return self.send(200, "text/plain", b"")
                if self.path == "/acct":
                    return self.send(200, "application/json", b'{"status":"valid"}', [("Location", base + "/acct/1")])
                if self.path == "/order":
                    with open(os.environ["ORDER_LOG"], "a") as f:
                        f.write(jws_payload(self.body) + "\n")
                    return self.send(403, problem, b'{"type":"urn:ietf:params:acme:error:unauthorized",'
                                                   b'"detail":"this fake CA issues nothing"}')
                if self.path == "/dir":
                    d = {"newNonce": base + "/nonce", "newAccount": base + "/acct", "newOrder": base + "/order",
                         "revokeCert": base + "/revoke", "renewalInfo": base + "/renewal-info"}
                    return self.send(200, "application/json", json.dumps(d).encode())
                if self.path.startswith("/renewal-info/"):
                    with open(os.environ.get("ARI_LOG", "/dev/null"), "a") as f:
                        f.write(self.path[len("/renewal-info/"):] + "\n")
                    w = {"suggestedWindow": {"start": os.environ.get("ARI_START", "2030-01-01T00:00:00Z"),
                                             "end": os.environ.get("ARI_END", "2030-01-02T00:00:00Z")},
                         "explanationURL": "https://example.org/why"}
                    return self.send(200, "application/json", json.dumps(w).encode(), [("Retry-After", "21600")])
                return self.send(404, "application/problem+json",
                                 b'{"type":"urn:ietf:params:acme:error:malformed","detail":"no such thing"}')
            sys.exit("unknown mode " + mode)

    def order_ca(h, directory):
        """One order for wait.example with one http-01 challenge, shaped by the environment:
        RETRY_AT=STEP and RETRY_AFTER=VALUE: that Retry-After at STEP (the others say 1):
          pending (order polled while its challenge is validated), finalize (orderNotReady),
          processing (after finalize), download (certificate answered 202);
        otherwise the order is valid at finalize and /cert/1 serves the PEM file $CHAIN_PEM with
        a Link rel="alternate" header for each of the '|'-separated $ALTERNATES;
        ACCOUNT_URL, CHALLENGE_URL: the account's Location, the challenge's URL."""
        at, huge = os.environ.get("RETRY_AT", ""), os.environ.get("RETRY_AFTER", "1")
        wait = lambda step: [("Retry-After", huge if at == step else "1")]
        problem = "application/problem+json"
        order = {"status": "pending", "identifiers": [{"type": "dns", "value": "wait.example"}],
                 "authorizations": [base + "/authz/1"], "finalize": base + "/finalize"}
        if h.path == "/dir":
            return h.send(200, "application/json", json.dumps(directory).encode())
        if h.path == "/nonce":
            return h.send(200, "text/plain", b"")
        if h.path.startswith("/acct"):
            return h.send(200, "application/json", b'{"status":"valid"}',
                          [("Location", os.environ.get("ACCOUNT_URL", base + "/acct/1"))])
        if h.path == "/order":
            return h.send(201, "application/json", json.dumps(order).encode(), [("Location", base + "/order/1")])
        if h.path == "/authz/1":
            challenge = {"type": "http-01", "status": "pending", "token": "wait-token",
                         "url": os.environ.get("CHALLENGE_URL", base + "/chall/1")}
            authz = {"status": "pending", "identifier": order["identifiers"][0], "challenges": [challenge]}
            return h.send(200, "application/json", json.dumps(authz).encode())
        if h.path == "/chall/1":
            return h.send(200, "application/json", b'{"type":"http-01","status":"processing"}')
        if h.path == "/finalize" and not at:
            order.update(status="valid", certificate=base + "/cert/1")
            return h.send(200, "application/json", json.dumps(order).encode())
        if h.path == "/finalize" and at in ("processing", "download"):
            order["status"] = "processing"
            return h.send(200, "application/json", json.dumps(order).encode(), wait("processing"))
        if h.path == "/finalize":
            return h.send(403, problem, b'{"type":"urn:ietf:params:acme:error:orderNotReady"}', wait("finalize"))
        if h.path == "/order/1":
            if at == "download":
                order.update(status="valid", certificate=base + "/cert/1")
            return h.send(200, "application/json", json.dumps(order).encode(), wait("pending"))
        if h.path == "/cert/1" and at:
            return h.send(202, "text/plain", b"", wait("download"))
        if h.path == "/cert/1":
            with open(os.environ["CHAIN_PEM"], "rb") as f:
                chain = f.read()
            links = [("Link", '<%s>;rel="alternate"' % u) for u in os.environ.get("ALTERNATES", "").split("|") if u]
            return h.send(200, "application/pem-certificate-chain", chain, links)
        return h.send(404, problem, b'{"type":"urn:ietf:params:acme:error:malformed"}')

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    server.serve_forever()


def der_items(data):
    """The (tag, contents) of each DER TLV in data, in order."""
    items, i = [], 0
    while i < len(data):
        tag, length = data[i], data[i + 1]
        i += 2
        if length & 0x80:
            n = length & 0x7f
            length = int.from_bytes(data[i:i + n], "big")
            i += n
        items.append((tag, data[i:i + length]))
        i += length
    return items


def ari_certificate_id(der):
    """RFC 9773 §4.1: base64url(AKI keyIdentifier) "." base64url(serial DER contents)."""
    import base64
    b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
    tbs = der_items(der_items(der)[0][1])[0][1]
    fields = der_items(tbs)
    if fields[0][0] == 0xa0:  # [0] version
        fields = fields[1:]
    serial = fields[0][1]
    extensions = next(v for t, v in fields if t == 0xa3)
    for _, ext in der_items(der_items(extensions)[0][1]):
        parts = der_items(ext)
        if parts[0][1] == bytes([0x55, 0x1d, 0x23]):  # 2.5.29.35 authorityKeyIdentifier
            aki = der_items(parts[-1][1])[0][1]
            key_id = next(v for t, v in der_items(aki) if t == 0x80)
            return b64(key_id) + "." + b64(serial)
    sys.exit("no authorityKeyIdentifier")


def cmd_ari_id(argv):
    import base64
    pem = open(argv[0]).read()
    body = pem.split("-----BEGIN CERTIFICATE-----")[1].split("-----END CERTIFICATE-----")[0]
    print(ari_certificate_id(base64.b64decode(body)))


def cmd_webserver(argv):
    # Perl's master listens with a backlog of 5: pebble's 3 vantage points x 3 names overflow
    # it and a dropped SYN costs TCP's 1 s retransmission. listen(2) again raises it.
    serve_challenges(socket.socket(fileno=int(argv[0])), os.getcwd())


def cmd_http01(argv):
    listener = socket.create_server(("127.0.0.1", int(argv[0])))
    serve_challenges(listener, argv[1])


def serve_challenges(listener, root):
    import re
    listener.listen(1024)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            m = re.fullmatch(r"/\.well-known/acme-challenge/([A-Za-z0-9_-]+)", self.path)
            try:
                with open(os.path.join(root, m.group(1)), "rb") as f:
                    body = f.read()
            except (AttributeError, OSError):
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    class Server(ThreadingHTTPServer):
        def server_bind(self):
            pass

        def server_activate(self):
            pass

    server = Server(listener.getsockname(), Handler, bind_and_activate=False)
    server.socket.close()
    server.socket = listener
    server.serve_forever()


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    {"run": cmd_run, "count": cmd_count, "fake-ca": cmd_fake_ca, "webserver": cmd_webserver,
     "http01": cmd_http01, "ari-id": cmd_ari_id}[sys.argv[1]](sys.argv[2:])
