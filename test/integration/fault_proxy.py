#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A TCP proxy in front of a CA (pebble) that injects faults, for the fault tests.

fault_proxy.py LISTEN_PORT TARGET_PORT --delay SECONDS
    Every answer is held back SECONDS: the first bytes the CA sends after each burst of the
    client's bytes (a TLS handshake flight, an HTTP response) wait that long. TLS passes
    through untouched, so the client still verifies the CA's certificate; pebble builds its
    URLs from the Host header, so every later request comes through the proxy too.
fault_proxy.py LISTEN_PORT TARGET_PORT --tls CERT KEY [--new-order-fault NAME:STATUS:RETRY_AFTER[:TIMES]]...
        [--events FILE]
    An HTTPS proxy instead (TLS ends here, with CERT and KEY: pebble's own, which the client
    trusts; requests go on to pebble over TLS with their Host header). A newOrder whose
    identifiers include NAME is answered STATUS (429 or 503) with a rateLimited problem and
    `Retry-After: RETRY_AFTER`, the first TIMES times (default 1), without reaching pebble.
    FILE gets one line per newOrder answer and certificate download, in order:
    "SECONDS neworder NAME STATUS" and "SECONDS certificate NAME" (SECONDS: monotonic; NAME:
    the order's first identifier).
Loopback only; prints "ready" once listening.
"""
import argparse
import base64
import http.client
import http.server
import json
import socket
import ssl
import threading
import time


def pump(src, dst, on_data):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            on_data()
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def serve(conn, target_port, delay):
    upstream = socket.create_connection(("127.0.0.1", target_port))
    asked = threading.Event()  # the client sent something the CA has not answered yet

    def client_sent():
        asked.set()

    def ca_answers():
        if asked.is_set():
            asked.clear()
            time.sleep(delay)

    threading.Thread(target=pump, args=(conn, upstream, client_sent), daemon=True).start()
    pump(upstream, conn, ca_answers)


class HttpFaults:
    """The HTTPS mode's state: the faults left to inject and what the CA's orders are for."""

    HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade"}

    def __init__(self, target_port, faults, events):
        self.target_port = target_port
        self.faults = faults  # name -> [status, retry_after, times left]
        self.events = events
        self.lock = threading.Lock()
        self.order_names = {}  # order or certificate URL path -> the order's first identifier
        self.upstream = ssl.create_default_context()
        self.upstream.check_hostname = False
        self.upstream.verify_mode = ssl.CERT_NONE  # pebble on loopback, behind this test proxy

    def event(self, *words):
        with self.lock, open(self.events, "a") as f:
            f.write(" ".join([f"{time.monotonic():.3f}"] + [str(w) for w in words]) + "\n")

    @staticmethod
    def new_order_names(body):
        """The identifiers of a newOrder JWS (flattened JSON), or None for any other request."""
        try:
            payload = json.loads(body)["payload"]
            order = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
            return [i["value"] for i in order["identifiers"]]
        except (ValueError, KeyError, TypeError):
            return None

    def injected(self, names):
        """(status, retry_after) when a fault answers this newOrder."""
        with self.lock:
            for name in names:
                fault = self.faults.get(name)
                if fault and fault[2] > 0:
                    fault[2] -= 1
                    return fault[0], fault[1]
        return None

    def learn(self, path, names, status, headers, body):
        """Remembers which order a response is about: its URL, then its finalize and certificate URLs."""
        if names is not None:
            name = names[0]
            if headers.get("Location"):
                self.order_names[headers["Location"].split("/", 3)[-1]] = name
            self.event("neworder", name, status)
        else:
            name = self.order_names.get(path.lstrip("/"))
            if name is None:
                return
            if status == 200 and "pem-certificate-chain" in headers.get("Content-Type", ""):
                self.event("certificate", name)
                return
        try:
            order = json.loads(body)
        except ValueError:
            return
        for url in (order.get("finalize"), order.get("certificate")) if isinstance(order, dict) else ():
            if isinstance(url, str):
                self.order_names[url.split("/", 3)[-1]] = name

    def handler(self):
        faults = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def forward(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                names = faults.new_order_names(body) if self.command == "POST" else None
                fault = faults.injected(names) if names else None
                if fault:
                    problem = json.dumps({"type": "urn:ietf:params:acme:error:rateLimited",
                                          "detail": "fault proxy: too many new orders"}).encode()
                    faults.event("neworder", names[0], fault[0])
                    self.send_response(fault[0])
                    self.send_header("Content-Type", "application/problem+json")
                    self.send_header("Retry-After", fault[1])
                    self.send_header("Content-Length", str(len(problem)))
                    self.end_headers()
                    self.wfile.write(problem)
                    return
                ca = http.client.HTTPSConnection("127.0.0.1", faults.target_port, context=faults.upstream, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in faults.HOP_BY_HOP}
                ca.request(self.command, self.path, body=body if self.command == "POST" else None, headers=headers)
                response = ca.getresponse()
                data = response.read()
                ca.close()
                faults.learn(self.path, names, response.status, response.headers, data)
                self.send_response(response.status)
                for k, v in response.headers.items():
                    if k.lower() not in faults.HOP_BY_HOP and k.lower() != "content-length":
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = do_HEAD = do_POST = forward

        return Handler


def serve_https(args):
    faults = {}
    for spec in args.new_order_fault:
        name, status, retry_after, *times = spec.split(":")
        faults[name] = [int(status), retry_after, int(times[0]) if times else 1]
    state = HttpFaults(args.target_port, faults, args.events or "/dev/null")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.listen_port), state.handler())
    server.daemon_threads = True
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.tls[0], args.tls[1])
    server.socket = context.wrap_socket(server.socket, server_side=True)
    print("ready", flush=True)
    server.serve_forever()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("listen_port", type=int)
    parser.add_argument("target_port", type=int)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--new-order-fault", action="append", default=[])
    parser.add_argument("--events")
    args = parser.parse_args()
    if args.tls:
        serve_https(args)
        return
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", args.listen_port))
    listener.listen(64)
    print("ready", flush=True)
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=serve, args=(conn, args.target_port, args.delay), daemon=True).start()


if __name__ == "__main__":
    main()
