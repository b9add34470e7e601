#!/usr/bin/env python3
"""A scriptable lacme-accountd peer for the protocol tests (stdlib only).

usage: accountd_peer.py SOCKET ACTION [ARG]
  greeting            print the two greeting lines
  sign N              send N valid signing inputs, check each answer is base64url, print OK
  send-raw HEX        send raw bytes; print what comes back until the daemon closes (or TIMEOUT)
  huge N              send an N-byte line without end; print CLOSED if the daemon hangs up
  half                send half a line and disconnect
  concurrent C N      C connections in parallel, N signatures each; print OK
  pipeline N          send N signing inputs at once, then read N answers; print OK
"""
import base64, json, socket, sys, threading

def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

def signing_input(i: int) -> bytes:
    header = b64(json.dumps({"alg": "ES256", "nonce": f"n{i}", "url": "https://ca/x", "kid": "https://ca/acct/1"}).encode())
    payload = b64(json.dumps({"i": i}).encode())
    return f"{header}.{payload}\r\n".encode()

def connect(path: str) -> socket.socket:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
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
    else:
        raise SystemExit(f"unknown action {action}")

if __name__ == "__main__":
    main()
