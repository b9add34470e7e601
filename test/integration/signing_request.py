#!/usr/bin/env python3
"""Sends signing inputs to a lacme-accountd reached through a command (e.g. `ssh -T signer`),
as lacme's client would through the [accountd] command, and prints one line per answer:
SIGNED, the refusal line ("NOSIGN reason") or CLOSED (the connection ended without an answer).

usage: signing_request.py [--kill] REQUESTS_JSON -- CMD...
  REQUESTS_JSON: [[HEADER, PAYLOAD], ...]; HEADER a JSON object (the protected header), PAYLOAD a
  JSON value or null for an empty payload (POST-as-GET). Stops at the first refusal or close.
  --kill: SIGKILL the command after the last answer instead of closing its input (a client
  killed in the middle of an order).
"""
import base64, json, subprocess, sys

def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

def main() -> None:
    args = sys.argv[1:]
    kill = args[0] == "--kill"
    if kill:
        args = args[1:]
    requests = json.loads(args[0])
    assert args[1] == "--"
    peer = subprocess.Popen(args[2:], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    for _ in range(2):
        if not peer.stdout.readline().endswith(b"\r\n"):
            print("CLOSED")
            return
    for header, payload in requests:
        body = b"" if payload is None else json.dumps(payload).encode()
        peer.stdin.write(f"{b64(json.dumps(header).encode())}.{b64(body)}\r\n".encode())
        peer.stdin.flush()
        answer = peer.stdout.readline()
        if answer.startswith(b"NOSIGN "):
            print(answer.decode(errors="replace").rstrip("\n"))
            break
        if not answer.endswith(b"\r\n"):
            print("CLOSED")
            break
        print("SIGNED")
    if kill:
        peer.kill()
    else:
        peer.stdin.close()
    peer.wait(timeout=10)

main()
