#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 23 item 1: `[client] timeout` limits polling (as lacme 0.8 and lacme.conf(5) say), not
# the whole order. Behind a proxy that holds every answer of pebble back 1 s, an order takes
# well over `timeout = 3` s of requests and still succeeds; the client used to give up at 3 s.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/client_lib.sh"
client_direct_setup
proxy_port=$((PORT0 + 10))
t_bg "$T/proxy.log" python3 "$SRC/test/integration/fault_proxy.py" "$proxy_port" "$PORT0" --delay 1
t_wait_for "fault proxy" grep -q ready "$T/proxy.log"
slow_url="https://127.0.0.1:$proxy_port/dir"
curl -fs --cacert "$PEBBLE_CA" "$slow_url" | grep -q "127.0.0.1:$proxy_port/" ||
    t_fail "pebble's directory behind the proxy does not point back through it"

client account 3 >/dev/null 2>"$T/account.log" || t_fail "register: $(cat "$T/account.log")"
client_json "$T/slow.json" server="$slow_url" SSL_CAfile="$PEBBLE_CA" timeout=3

mkdir -p "$T/www/.well-known/acme-challenge"
t_bg "$T/http01.log" python3 -m http.server --bind 127.0.0.1 --directory "$T/www" "$HTTP01_PORT"
t_wait_for "http-01 server" bash -c "exec 3<>/dev/tcp/127.0.0.1/$HTTP01_PORT"
t_keygen "$T/service.key" p256
openssl req -new -key "$T/service.key" -subj "/CN=slow.example.org" -addext "subjectAltName=DNS:slow.example.org" -outform DER -out "$T/slow.csr" 2>/dev/null
start=$(date +%s)
(cd "$T/www/.well-known/acme-challenge" &&
    timeout 300 python3 "$HELPER" run --accountd "$ACCOUNTD --quiet --config=$T/accountd.conf" --config "$T/slow.json" \
        -- "$CLIENT" newOrder slow.example.org <"$T/slow.csr" >"$T/slow.pem" 2>"$T/slow.log") ||
    t_fail "order through a slow CA with timeout = 3: $(cat "$T/slow.log")"
elapsed=$(($(date +%s) - start))
[ "$elapsed" -gt 3 ] || t_fail "the order took only $elapsed s: the proxy did not slow it down"
openssl verify -CAfile "$T/pebble/root.pem" -untrusted "$T/slow.pem" "$T/slow.pem" >/dev/null 2>&1 ||
    t_fail "the chain does not verify"
t_pass "an order whose requests take $elapsed s in all succeeds with timeout = 3 (a polling limit)"
t_done
