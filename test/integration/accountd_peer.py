#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A scriptable lacme-accountd peer for the protocol tests (stdlib only).

usage: accountd_peer.py SOCKET ACTION [ARG]
  SOCKET is a UNIX socket path, or exec:COMMAND for a peer reached through a command that speaks
  the protocol on its standard input and output (e.g. ssh -T to a forced-command lacme-accountd)
  greeting            print the two greeting lines
  sign N              send N valid signing inputs, check each answer is base64url, print OK
  send-raw HEX        send raw bytes; print what comes back until the daemon closes (or TIMEOUT)
  huge N              send an N-byte line without end; print CLOSED if the daemon hangs up
  half                send half a line and disconnect
  concurrent C N      C connections in parallel, N signatures each; print OK
  pipeline N          send N signing inputs at once, then read N answers; print OK
  idle SECONDS        wait for the daemon to close an idle connection; print CLOSED or OPEN
  trickle SECONDS     send a partial line a byte at a time; print CLOSED (within SECONDS) or OPEN
  steady N INTERVAL   one request every INTERVAL seconds, N times; print OK if all were answered
  no-read N WAIT      send N requests without reading for WAIT seconds, then read: print CLOSED
                      ANSWERS (the daemon hung up) or ALL (it kept the connection)
  cap LIMIT           LIMIT connections all greeted, one more kept waiting; after closing 20 of
                      those dealt to the same worker, 20 more greeted; print OK
  emfile C PID        C connections at once on a daemon short of fds: some greeted, PID's CPU
                      time stays low while the rest wait, and closing frees the way; print OK
  ask URL KIND JSON   send one signing input (kid-headed, or jwk-headed when KIND is "jwk",
                      JSON the payload, "" for POST-as-GET); print SIGNED, the NOSIGN line
                      (a policy refusal, which must end in a bare LF and be followed by the
                      close), or CLOSED
  ask-kill URL KIND JSON  ask, then SIGKILL the exec: command (a client killed mid-order)
  line URL KIND JSON [JWK]  print that signing input, CRLF-terminated, without connecting
                      (SOCKET is ignored: for piping into --stdio)
"""
import base64, json, os, select, socket, subprocess, sys, threading, time

def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

def signing_input(i: int) -> bytes:
    header = b64(json.dumps({"alg": "ES256", "nonce": f"n{i}", "url": "https://ca/x", "kid": "https://ca/acct/1"}).encode())
    payload = b64(json.dumps({"i": i}).encode())
    return f"{header}.{payload}\r\n".encode()

def crafted_input(url: str, kind: str, payload: str, jwk: dict) -> bytes:
    header = {"alg": "ES256", "nonce": "n", "url": url}
    if kind == "jwk":
        header["jwk"] = jwk
    else:
        header["kid"] = "https://ca.example/acct/1"
    return f"{b64(json.dumps(header).encode())}.{b64(payload.encode())}\r\n".encode()

def answer_of(f) -> str:
    """SIGNED, the NOSIGN line of a policy refusal, or CLOSED; anything else is a failure."""
    line = f.readline()
    if not line:
        return "CLOSED"
    if line.startswith(b"NOSIGN ") and line.endswith(b"\n") and not line.endswith(b"\r\n"):
        if f.read() != b"":
            raise SystemExit("data after the NOSIGN line")
        return line.decode().rstrip("\n")
    sig = line[:-2]
    if line.endswith(b"\r\n") and sig and all(c in b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_" for c in sig):
        return "SIGNED"
    raise SystemExit(f"unexpected answer {line!r}")

commands = []  # the exec: transports started, waited for (or killed) before exiting
# How long a read may wait; tests that start many SSH sessions at once on a loaded machine raise it.
READ_TIMEOUT = float(os.environ.get("ACCOUNTD_PEER_TIMEOUT", "10"))

def connect(path: str) -> socket.socket:
    if path.startswith("exec:"):
        s, theirs = socket.socketpair()
        commands.append(subprocess.Popen(["sh", "-c", path[len("exec:"):]], stdin=theirs, stdout=theirs))
        theirs.close()
        s.settimeout(READ_TIMEOUT)
        return s
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(READ_TIMEOUT)
    s.connect(path)
    return s

def read_line(f) -> bytes:
    line = f.readline()
    if not line.endswith(b"\r\n"):
        raise SystemExit(f"incomplete line {line!r}")
    return line[:-2]

def do_sign(path: str, n: int) -> None:
    s = connect(path)
    f = s.makefile("rb")
    read_line(f); read_line(f)
    for i in range(n):
        s.sendall(signing_input(i))
        sig = read_line(f)
        if not sig or not all(c in b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_" for c in sig):
            raise SystemExit(f"bad signature line {sig!r}")
    s.close()

def greeted(s: socket.socket, timeout: float) -> bool:
    """True if both greeting lines arrive within timeout (the daemon accepted us)."""
    s.settimeout(timeout)
    data = b""
    try:
        while data.count(b"\r\n") < 2:
            chunk = s.recv(4096)
            if not chunk:
                return False
            data += chunk
    except socket.timeout:
        return False
    finally:
        s.settimeout(10)
    return True

def wait_closed(s: socket.socket, seconds: float) -> bool:
    """True if the daemon closes s within seconds (whatever it sends first)."""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([s], [], [], left)
        if ready:
            try:
                if not s.recv(65536):
                    return True
            except (ConnectionResetError, BrokenPipeError):
                return True
    return False

def cpu_seconds(pid: int) -> float:
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

def do_no_read(path: str, n: int, wait: float) -> str:
    s = connect(path)
    f = s.makefile("rb")
    read_line(f); read_line(f)
    data = b"".join(signing_input(i) for i in range(n))
    def send() -> None:
        try:
            s.sendall(data)
        except OSError:
            pass  # the daemon hung up on us: what we are testing
    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    time.sleep(wait)
    answers = 0
    s.settimeout(5)
    try:
        while answers < n:
            if not f.readline():
                return f"CLOSED {answers}"
            answers += 1
    except ConnectionResetError:
        return f"CLOSED {answers}"
    except socket.timeout:
        return f"TIMEOUT {answers}"
    return "ALL"

def do_cap(path: str, limit: int) -> str:
    conns = []
    for i in range(limit):  # one at a time: the kernel's backlog is far shorter than limit
        conns.append(connect(path))
        if not greeted(conns[-1], 10):
            return f"connection {i} of {limit} not greeted"
    extra = connect(path)
    if greeted(extra, 1):
        return f"connection {limit + 1} greeted past the cap"
    # Connections are dealt to the workers in turn: the even ones share a worker.
    for c in conns[0:40:2]:
        c.close()
    if not greeted(extra, 5):
        return "the waiting connection was not greeted once slots freed"
    more = [connect(path) for _ in range(20)]
    late = [i for i, c in enumerate(more[:19]) if not greeted(c, 5)]
    if late:
        return f"new connections {late} not greeted although slots were free"
    if greeted(more[19], 1):
        return "one connection too many greeted"
    return "OK"

def do_emfile(path: str, count: int, pid: int) -> str:
    conns = [connect(path) for _ in range(count)]
    time.sleep(1)
    served = [c for c in conns if greeted(c, 0.2)]
    waiting = [c for c in conns if c not in served]
    if not served or not waiting:
        return f"expected some of {count} connections greeted, got {len(served)}"
    before = cpu_seconds(pid)
    time.sleep(2)
    spent = cpu_seconds(pid) - before
    if spent > 0.2:
        return f"daemon busy while out of fds: {spent:.2f} s CPU in 2 s"
    for c in served:
        c.close()
    late = [i for i, c in enumerate(waiting[: len(served) - 1]) if not greeted(c, 5)]
    if late:
        return f"waiting connections {late} not greeted after others closed"
    return f"OK {len(served)}"

def main() -> None:
    path, action, *args = sys.argv[1:]
    if action == "greeting":
        s = connect(path); f = s.makefile("rb")
        sys.stdout.write(read_line(f).decode() + "\n" + read_line(f).decode() + "\n")
    elif action == "sign":
        do_sign(path, int(args[0])); print("OK")
    elif action == "send-raw":
        s = connect(path); f = s.makefile("rb")
        read_line(f); read_line(f)
        s.sendall(bytes.fromhex(args[0]))
        try:
            rest = f.read()
            print("CLOSED" + (" " + rest.decode(errors="replace").strip() if rest else ""))
        except socket.timeout:
            print("TIMEOUT")
    elif action == "huge":
        s = connect(path); f = s.makefile("rb")
        read_line(f); read_line(f)
        chunk = b"A" * 65536
        try:
            for _ in range(int(args[0]) // len(chunk)):
                s.sendall(chunk)
            print("CLOSED" if f.read() == b"" else "ANSWERED")
        except (BrokenPipeError, ConnectionResetError):
            print("CLOSED")
        except socket.timeout:
            print("TIMEOUT")
    elif action == "half":
        s = connect(path); f = s.makefile("rb")
        read_line(f); read_line(f)
        s.sendall(signing_input(0)[:20]); s.close(); print("OK")
    elif action == "pipeline":
        n = int(args[0])
        s = connect(path); f = s.makefile("rb")
        read_line(f); read_line(f)
        s.sendall(b"".join(signing_input(i) for i in range(n)))
        answers = [read_line(f) for _ in range(n)]
        print("OK" if len(set(answers)) == n else "DUPLICATES")
    elif action == "concurrent":
        c, n = int(args[0]), int(args[1])
        errors = []
        def worker():
            try:
                do_sign(path, n)
            except BaseException as e:  # noqa: BLE001 - report any failure of a worker
                errors.append(repr(e))
        threads = [threading.Thread(target=worker) for _ in range(c)]
        for t in threads: t.start()
        for t in threads: t.join()
        print("OK" if not errors else "FAILED " + "; ".join(errors))
    elif action == "idle":
        s = connect(path); f = s.makefile("rb")
        read_line(f); read_line(f)
        print("CLOSED" if wait_closed(s, float(args[0])) else "OPEN")
    elif action == "trickle":
        s = connect(path); f = s.makefile("rb")
        read_line(f); read_line(f)
        deadline = time.monotonic() + float(args[0])
        for byte in signing_input(0)[:-2] * 100:
            if time.monotonic() > deadline:
                break
            try:
                s.send(bytes([byte]))
            except (BrokenPipeError, ConnectionResetError):
                print("CLOSED"); return
            if wait_closed(s, 0.2):
                print("CLOSED"); return
        print("OPEN")
    elif action == "steady":
        s = connect(path); f = s.makefile("rb")
        read_line(f); read_line(f)
        for i in range(int(args[0])):
            time.sleep(float(args[1]))
            s.sendall(signing_input(i))
            read_line(f)
        print("OK")
    elif action in ("ask", "ask-kill"):
        s = connect(path); f = s.makefile("rb")
        read_line(f)
        jwk = json.loads(read_line(f))
        s.sendall(crafted_input(args[0], args[1], args[2], jwk))
        print(answer_of(f))
        if action == "ask-kill":
            for command in commands:
                command.kill()
        f.close(); s.close()
    elif action == "line":
        sys.stdout.buffer.write(crafted_input(args[0], args[1], args[2], json.loads(args[3]) if len(args) > 3 else {}))
    elif action == "no-read":
        print(do_no_read(path, int(args[0]), float(args[1])))
    elif action == "cap":
        print(do_cap(path, int(args[0])))
    elif action == "emfile":
        print(do_emfile(path, int(args[0]), int(args[1])))
    else:
        raise SystemExit(f"unknown action {action}")
    for command in commands:
        command.wait(timeout=10)

if __name__ == "__main__":
    main()
