#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Our master with `listen` = a UNIX-domain socket: the master binds it with mode 0666 (lacme's
# umask 0111) for a front HTTP daemon (a small TCP->UNIX proxy here), our webserver answers the
# challenges through it, and the socket file is removed at the end.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
t_master_up
sock="$T/lacme-www.socket"
cat >"$T/proxy.py" <<'PY'
import asyncio, os, stat, sys
port, path, mode_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]
async def pipe(r, w):
    try:
        while data := await r.read(65536):
            w.write(data); await w.drain()
    finally:
        w.close()
async def handle(r, w):
    with open(mode_file, "w") as f:
        f.write("%o" % stat.S_IMODE(os.stat(path).st_mode))
    ur, uw = await asyncio.open_unix_connection(path)
    await asyncio.gather(pipe(r, uw), pipe(ur, w))
async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", port)
    await server.serve_forever()
asyncio.run(main())
PY
t_bg "$T/proxy.log" python3 "$T/proxy.py" "$HTTP01_PORT" "$sock" "$T/socket-mode"
t_wait_for "proxy" bash -c "exec 3<>/dev/tcp/127.0.0.1/$HTTP01_PORT"
t_master_file_account "listen=$sock"
t_section "$T/conf/certs.conf" www p256 www.example.org
"$LACME" --config="$T/conf/lacme.conf" newOrder --config-certs="$T/conf/certs.conf" 2>"$T/order.log" ||
    t_fail "newOrder: $(cat "$T/order.log")"
t_verify_chain "$T/conf/www.pem" www.example.org
t_pass "challenges answered by our webserver on a UNIX-domain socket"
[ "$(cat "$T/socket-mode")" = 666 ] || t_fail "socket mode $(cat "$T/socket-mode"), expected 666"
t_pass "the socket is created with mode 0666"
[ ! -e "$sock" ] || t_fail "socket file left behind"
t_pass "the socket file is removed at the end"
t_done
