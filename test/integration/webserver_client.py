#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Socket-level protocol checks for the http-01 challenge server (stdlib only).

usage: webserver_client.py ADDR CHALLENGE_DIR CHECK
  ADDR: HOST:PORT or an absolute UNIX socket path. CHALLENGE_DIR: the server's cwd, where the
  checks put their files. Prints OK, or a reason and exits 1.
"""
import os, socket, sys, threading, time

ADDR, DIR, CHECK = sys.argv[1], sys.argv[2], sys.argv[3]
ROOT = "/.well-known/acme-challenge/"


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def connect(timeout=5.0):
    if ADDR.startswith("/"):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(timeout)
        s.connect(ADDR)
    else:
        host, port = ADDR.rsplit(":", 1)
        s = socket.create_connection((host, int(port)), timeout=timeout)
    return s


def read_all(s):
    """Everything until the server closes; raises socket.timeout if it does not."""
    data = b""
    while True:
        try:
            chunk = s.recv(65536)
        except ConnectionResetError:
            return data + b"<RST>"
        if not chunk:
            return data
        data += chunk


def exchange(raw, timeout=5.0):
    s = connect(timeout)
    s.sendall(raw)
    try:
        return read_all(s)
    finally:
        s.close()


def parse(resp):
    """(status, headers dict lower-case, body) of one response that ends the data."""
    head, sep, body = resp.partition(b"\r\n\r\n")
    if not sep:
        fail(f"no complete response head in {resp!r}")
    lines = head.split(b"\r\n")
    parts = lines[0].split(b" ", 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/1."):
        fail(f"bad status line {lines[0]!r}")
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(b":")
        headers[k.strip().lower().decode()] = v.strip().decode()
    return int(parts[1]), headers, body


def expect_status(raw, status, what):
    st, h, body = parse(exchange(raw))
    if st != status:
        fail(f"{what}: status {st}, want {status}")
    return h, body


def put(token, content):
    with open(os.path.join(DIR, token), "wb") as f:
        f.write(content)


def get(path, version="1.1", extra=b""):
    return f"GET {path} HTTP/{version}\r\nHost: example.org\r\n".encode() + extra + b"Connection: close\r\n\r\n"


def check_get_head():
    put("tokGET", b"tokGET.thumbprint")
    h, body = expect_status(get(ROOT + "tokGET"), 200, "GET")
    if body != b"tokGET.thumbprint" or h.get("content-length") != "17":
        fail(f"GET body {body!r} headers {h}")
    if not h.get("content-type", "").startswith(("text/plain", "application/octet-stream")):
        fail(f"content-type {h.get('content-type')}")
    h, body = expect_status(f"HEAD {ROOT}tokGET HTTP/1.1\r\nConnection: close\r\n\r\n".encode(), 200, "HEAD")
    if body != b"" or h.get("content-length") != "17":
        fail(f"HEAD body {body!r} headers {h}")
    expect_status(get(ROOT + "tokGET", "1.0"), 200, "HTTP/1.0 GET")
    expect_status(f"GET http://example.org{ROOT}tokGET HTTP/1.1\r\nConnection: close\r\n\r\n".encode(), 200, "absolute-form")
    expect_status(f"GET {ROOT}tokGET HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n".encode(), 200, "Host ignored")
    expect_status(get(ROOT + "unknownToken"), 404, "unknown token")
    expect_status(get("/"), 404, "root")
    expect_status(get("/index.html"), 404, "other path")


def check_methods():
    put("tokM", b"x")
    for m in ("POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE"):
        h, _ = expect_status(f"{m} {ROOT}tokM HTTP/1.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".encode(), 405, m)
        if "GET" not in h.get("allow", "") or "HEAD" not in h.get("allow", ""):
            fail(f"{m}: Allow header {h.get('allow')!r}")
    expect_status(b"POST " + ROOT.encode() + b"tokM HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello", 405, "POST with body")
    expect_status(b"OPTIONS * HTTP/1.1\r\nConnection: close\r\n\r\n", 405, "OPTIONS *")


def check_traversal():
    put("tokT", b"t")
    os.makedirs(os.path.join(DIR, "sub"), exist_ok=True)
    put("sub/inner", b"secret")
    link = os.path.join(DIR, "passwd")
    if not os.path.islink(link):
        os.symlink("/etc/passwd", link)
    for target in ("/../etc/passwd", ROOT + "../../../etc/passwd", ROOT + "..", ROOT + "%2e%2e/%2e%2e/etc/passwd",
                   ROOT + "%2e%2e%2fetc%2fpasswd", ROOT + "..%2f..%2fetc%2fpasswd", ROOT + "sub%2finner", ROOT + "sub/inner",
                   ROOT + "tokT/", ROOT + "tokT?x=1", ROOT + "tok%54", ROOT + "passwd", "/etc/passwd",
                   "/.well-known/acme-challenge/./tokT", "/.well-known/acme-challenge/../acme-challenge/tokT",
                   "http://example.org/../etc/passwd"):
        st, _, body = parse(exchange(get(target)))
        if st not in (400, 404):
            fail(f"{target}: status {st}")
        if b"root:" in body or b"secret" in body:
            fail(f"{target}: leaked {body!r}")


def check_malformed():
    # HTTP/0.9 simple request: no version, no headers. Answered 400 at once, not left hanging.
    st, _, _ = parse(exchange(f"GET {ROOT}tokGET\r\n".encode()))
    if st != 400:
        fail(f"HTTP/0.9 line: {st}")
    for raw in (b"GET /\x00 HTTP/1.1\r\n\r\n", b"GET / HTTP/1.1\r\nX: a\x00b\r\n\r\n", b"\x00\x00\x00\x00\r\n\r\n",
                b"GET / HTTP/1.1\r\n folded\r\n\r\n", b"GET / HTTP/1.1\r\nBad Name: x\r\n\r\n",
                b"GET /a\rb HTTP/1.1\r\n\r\n", b"GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
                b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03" + os.urandom(64) + b"\r\n"):
        st, _, _ = parse(exchange(raw))
        if st != 400:
            fail(f"{raw[:40]!r}: status {st}, want 400")
    st, _, _ = parse(exchange(b"GET / HTTP/2.0\r\n\r\n"))
    if st != 505:
        fail(f"HTTP/2.0: {st}")


def check_huge_headers():
    st, _, _ = parse(exchange(get(ROOT + "tokGET", extra=b"X-Big: " + b"a" * 20000 + b"\r\n")))
    if st != 431:
        fail(f"20 KB header: {st}")
    st, _, _ = parse(exchange(b"GET /" + b"a" * 20000 + b" HTTP/1.1\r\n\r\n"))
    if st != 414:
        fail(f"20 KB request line: {st}")
    # An endless header line: answered and closed once over the limit, long before 1 MB.
    s = connect()
    sent = 0
    try:
        s.sendall(b"GET / HTTP/1.1\r\nX: ")
        while sent < 1 << 20:
            s.sendall(b"b" * 4096)
            sent += 4096
    except (BrokenPipeError, ConnectionResetError):
        pass
    try:
        data = read_all(s)
    except socket.timeout:
        fail("endless header: server neither answered nor closed")
    if data and not data.startswith(b"HTTP/1.1 431"):
        fail(f"endless header: {data[:60]!r}")


def check_header_without_end():
    # Head never completed: the server must drop the connection by its header deadline (10 s).
    s = connect(timeout=15)
    s.sendall(b"GET " + ROOT.encode() + b"tokGET HTTP/1.1\r\nHost: x\r\n")
    t0 = time.monotonic()
    try:
        data = read_all(s)
    except socket.timeout:
        fail("incomplete head: connection still open after 15 s")
    took = time.monotonic() - t0
    if data.startswith(b"HTTP/1.1 200"):
        fail("incomplete head was answered")
    if took < 5:
        fail(f"closed after only {took:.1f} s")


def check_pipelined():
    put("tokP", b"pipelined")
    one = f"GET {ROOT}tokP HTTP/1.1\r\nHost: x\r\n\r\n".encode()
    data = exchange(one * 5 + f"HEAD {ROOT}nope HTTP/1.1\r\n\r\n".encode() + get(ROOT + "tokP"))
    if data.count(b"HTTP/1.1 200 OK") != 6 or data.count(b"HTTP/1.1 404") != 1 or data.count(b"pipelined") != 6:
        fail(f"pipelined: {data!r}")
    if data.index(b"HTTP/1.1 404") < data.rindex(b"HTTP/1.1 200", 0, data.index(b"HTTP/1.1 404")):
        fail("pipelined: out of order")


def check_one_byte_writes():
    put("tokB", b"bytewise")
    s = connect()
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1) if not ADDR.startswith("/") else None
    for b in get(ROOT + "tokB"):
        s.sendall(bytes([b]))
        time.sleep(0.001)
    _, _, body = parse(read_all(s))
    if body != b"bytewise":
        fail(f"1-byte writes: {body!r}")


def check_keep_alive():
    put("tokK", b"keep")
    s = connect()
    f = s.makefile("rb")
    for i in range(10):
        s.sendall(f"GET {ROOT}tokK HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        status = f.readline()
        if not status.startswith(b"HTTP/1.1 200"):
            fail(f"keep-alive request {i}: {status!r}")
        length = None
        while True:
            line = f.readline()
            if line == b"\r\n":
                break
            if line.lower().startswith(b"connection: close"):
                fail("keep-alive connection closed early")
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        if f.read(length) != b"keep":
            fail("keep-alive body")
    s.sendall(f"GET {ROOT}tokK HTTP/1.1\r\nConnection: close\r\n\r\n".encode())
    rest = f.read()
    if b"Connection: close" not in rest or not rest.endswith(b"keep"):
        fail(f"Connection: close not honoured: {rest!r}")


def check_symlink_flood():
    link = os.path.join(DIR, "passwd")
    if not os.path.islink(link):
        os.symlink("/etc/passwd", link)
    s = connect()
    f = s.makefile("rb")
    for _ in range(300):  # keep-alive: 100 per connection, then a new one
        try:
            s.sendall(f"GET {ROOT}passwd HTTP/1.1\r\n\r\n".encode())
            line = f.readline()
        except OSError:
            line = b""
        if not line:
            s.close()
            s = connect()
            f = s.makefile("rb")
            s.sendall(f"GET {ROOT}passwd HTTP/1.1\r\n\r\n".encode())
            line = f.readline()
        if not line.startswith(b"HTTP/1.1 404"):
            fail(f"symlink token: {line!r}")
        while f.readline() not in (b"\r\n", b""):
            pass
    s.close()


def check_slowloris():
    put("tokS", b"slowloris")
    idle = []
    for i in range(200):
        c = connect()
        if i % 2:
            c.sendall(b"GET / HTTP/1.1\r\nX-Slow: ")  # half a head, never finished
        idle.append(c)
    time.sleep(0.2)
    t0 = time.monotonic()
    _, _, body = parse(exchange(get(ROOT + "tokS"), timeout=3))
    took = time.monotonic() - t0
    if body != b"slowloris":
        fail(f"slowloris: {body!r}")
    if took > 1.0:
        fail(f"validation took {took:.2f} s with 200 idle connections")
    for c in idle:
        c.close()
    print(f"validation in {took * 1000:.1f} ms with 200 idle connections open")


CHECKS = {name[6:]: fn for name, fn in globals().items() if name.startswith("check_")}
if CHECK not in CHECKS:
    fail(f"unknown check {CHECK}; known: {' '.join(CHECKS)}")
try:
    CHECKS[CHECK]()
except (OSError, socket.timeout) as e:
    fail(f"{CHECK}: {type(e).__name__}: {e}")
print("OK")
