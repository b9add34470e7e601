#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A TCP proxy in front of a CA (pebble) that injects faults, for the fault tests.

fault_proxy.py LISTEN_PORT TARGET_PORT --delay SECONDS
    Every answer is held back SECONDS: the first bytes the CA sends after each burst of the
    client's bytes (a TLS handshake flight, an HTTP response) wait that long. TLS passes
    through untouched, so the client still verifies the CA's certificate; pebble builds its
    URLs from the Host header, so every later request comes through the proxy too.
Loopback only; prints "ready" once listening.
"""
import argparse
import socket
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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("listen_port", type=int)
    parser.add_argument("target_port", type=int)
    parser.add_argument("--delay", type=float, default=0.0)
    args = parser.parse_args()
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
