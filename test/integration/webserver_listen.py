#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Binds and listens like lacme's master, then execs the webserver with the socket's fd.

usage: webserver_listen.py ADDR CMD [ARG...]
  ADDR: HOST:PORT (IPv4), [V6]:PORT, or an absolute UNIX socket path (bound with umask 0111).
The fd number is appended to CMD's arguments; the process keeps its pid (exec), so the caller can
signal it directly.
"""
import os, socket, sys

addr, cmd = sys.argv[1], sys.argv[2:]
if addr.startswith("/"):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old = os.umask(0o111)
    s.bind(addr)
    os.umask(old)
else:
    host, port = addr.rsplit(":", 1)
    fam = socket.AF_INET6 if host.startswith("[") else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host.strip("[]"), int(port)))
s.listen(5)
os.set_inheritable(s.fileno(), True)
os.execvp(cmd[0], cmd + [str(s.fileno())])
