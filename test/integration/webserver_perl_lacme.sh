#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Debian's Perl lacme (master, client) and Perl lacme-accountd issue certificates from pebble
# with OUR webserver as `[webserver] command`:
#   (a) listening on 127.0.0.1:HTTP01_PORT directly (TCP socket bound by the master);
#   (b) on a UNIX socket behind a real nginx using the shipped examples/webserver/nginx.conf;
#   (c) on a UNIX socket behind nginx with a second (empty) webserver first in the upstream and
#       proxy_next_upstream http_404, the ACME-management-server fallback chain.
# Perl's client does not retry badNonce, so pebble's nonce rejection is off here.
source "$(dirname "$0")/lib.sh"
t_require lacme; t_require lacme-accountd; t_require nginx; t_require python3
WEB="$BUILD/webserver/webserver"
[ -x "$WEB" ] || t_fail "webserver not built at $WEB"
HERE=$(cd "$(dirname "$0")" && pwd)
t_pebble_up PEBBLE_WFE_NONCEREJECT=0

# One Perl accountd RSA account for all orders.
acct="$T/account"; mkdir -p "$acct"
t_keygen "$acct/account.key" rsa2048
echo "privkey = file:$acct/account.key" >"$acct/accountd.conf"


setup() {  # setup DIR: lacme.conf with our webserver and Perl's accountd (--stdio)
    mkdir -p "$1"
    t_perl_lacme_conf "$1" webserver="$WEB" accountd=lacme-accountd accountd_config="$acct/accountd.conf"
}

order() {  # order DIR NAME DOMAIN...: newOrder with --debug, chain verified
    local d=$1 name=$2; shift 2
    t_certs_conf "$d" "$name" "$@"
    t_perl_lacme "$d" --debug newOrder --config-certs="$d/certs.conf" --force >"$d/order.log" 2>&1 ||
        t_fail "newOrder failed: $(tail -20 "$d/order.log")"
    t_verify_chain "$d/$name.pem" "$@"
}

# (a) direct TCP
d="$T/tcp"; setup "$d"
t_perl_lacme "$d" account --register --tos-agreed >"$d/register.log" 2>&1 || true  # Perl's empty update is refused by pebble
grep -q '^Key ID: https' "$d/register.log" || t_fail "registration failed: $(cat "$d/register.log")"
order "$d" www www.tcp.example.org tcp.example.org
# The master passes DEBUG=1 down: our request lines prove OUR webserver answered pebble.
[ "$(grep -cE "GET /\.well-known/acme-challenge/[A-Za-z0-9_-]+ HTTP/1\.1 200 from \[127\.0\.0\.1\]" "$d/order.log")" -ge 2 ] ||
    t_fail "our webserver did not serve both validations: $(grep -i acme-challenge "$d/order.log" | head)"
t_pass "Perl lacme + our webserver on 127.0.0.1:$HTTP01_PORT: certificate issued"

# nginx in the foreground as root (the test dir is 0700), everything under $T.
nginx_up() {  # nginx_up NAME HTTP-BLOCK-BODY
    local n="$T/nginx-$1"; mkdir -p "$n"
    cat >"$n/nginx.conf" <<CONF
user root;
daemon off;
worker_processes 1;
pid $n/nginx.pid;
error_log $n/error.log info;
events { worker_connections 64; }
http {
    access_log $n/access.log;
    client_body_temp_path $n/body; proxy_temp_path $n/proxy;
    fastcgi_temp_path $n/fastcgi; uwsgi_temp_path $n/uwsgi; scgi_temp_path $n/scgi;
    $2
}
CONF
    nginx -t -c "$n/nginx.conf" >"$n/check.log" 2>&1 || t_fail "nginx config: $(cat "$n/check.log")"
    t_bg "$n/nginx.log" nginx -c "$n/nginx.conf"
    NGINX_PID=$T_LAST_PID
    t_wait_for "nginx on port $HTTP01_PORT" bash -c "exec 3<>/dev/tcp/127.0.0.1/$HTTP01_PORT"
}
nginx_down() { kill "$NGINX_PID"; wait "$NGINX_PID" 2>/dev/null || true; }

# (b) UNIX socket behind nginx with the shipped snippet
d="$T/unix"; setup "$d"
sed -i "s|^listen = .*|listen = $d/www.sock|" "$d/lacme.conf"
sed "s|/run/lacme-www.socket|$d/www.sock|" "$SRC/examples/webserver/nginx.conf" >"$d/snippet.conf"
nginx_up snippet "server { listen 127.0.0.1:$HTTP01_PORT; server_name _; include $d/snippet.conf; }"
order "$d" www www.unix.example.org unix.example.org
grep -qE "GET /\.well-known/acme-challenge/[A-Za-z0-9_-]+ HTTP/1\.[01] 200 from \[unix\]" "$d/order.log" ||
    t_fail "our webserver did not answer over the UNIX socket: $(grep -i acme-challenge "$d/order.log" | head)"
grep -qE '"GET /\.well-known/acme-challenge/[^ ]+ HTTP/1\.1" 200' "$T/nginx-snippet/access.log" ||
    t_fail "nginx did not proxy the validation: $(cat "$T/nginx-snippet/access.log")"
[ ! -e "$d/www.sock" ] || t_fail "Perl lacme left its socket behind"
nginx_down
t_pass "Perl lacme + our webserver on a UNIX socket behind nginx (examples/webserver/nginx.conf)"

# (c) fallback chain: an empty webserver answers 404 first, nginx moves on to the one that
# has the token (proxy_next_upstream http_404, as in examples/webserver/nginx-fallback.conf).
d="$T/fallback"; setup "$d"; mkdir -p "$d/empty"
sed -i "s|^listen = .*|listen = $d/www.sock|" "$d/lacme.conf"
(cd "$d/empty" && DEBUG=1 exec python3 "$HERE/webserver_listen.py" "$d/empty.sock" "$WEB") >"$d/empty.log" 2>&1 &
t_kill_at_exit "$!"
t_wait_for "empty webserver" test -S "$d/empty.sock"
nginx_up fallback "upstream lacme-challenges { server unix:$d/empty.sock; server unix:$d/www.sock; }
    server { listen 127.0.0.1:$HTTP01_PORT; server_name _;
        location ^~ /.well-known/acme-challenge/ {
            proxy_pass http://lacme-challenges; proxy_next_upstream error timeout http_404; } }"
order "$d" www a.fallback.example.org b.fallback.example.org c.fallback.example.org
grep -qE "GET /\.well-known/acme-challenge/[A-Za-z0-9_-]+ HTTP/1\.0 404 from \[unix\]" "$d/empty.log" ||
    t_fail "the empty webserver was never asked first: $(cat "$d/empty.log")"
nginx_down
t_pass "fallback chain: 404 from an empty webserver, nginx tries the next, certificate issued"
t_done
