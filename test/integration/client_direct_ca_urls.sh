#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# What the client does with strings and URLs from the CA (a fake CA, see client_helper.py's
# order_ca): a broken alternate-chain Link falls back to the default chain with a warning; a
# plain http:// or non-http(s) URL from an https CA gets no request; the account URL and other CA
# strings reach the terminal without control characters.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/client_lib.sh"
client_order_ca_setup
openssl req -x509 -key "$T/service.key" -subj "/CN=Default Root" -days 2 -out "$T/chain.pem" 2>/dev/null
export CHAIN_PEM="$T/chain.pem"
port=$PORT0
# order_at_fake_ca LOG ARGS...: newOrder wait.example in $T/www at a fresh fake CA configured by
# the environment; stdout to $T/out.pem, stderr to LOG.
order_at_fake_ca() {
    local log=$1; shift
    port=$((port + 1))
    fake_ca "$port" order
    client_json "$T/fake.json" server="https://127.0.0.1:$port/dir" SSL_CAfile="$TEST_TLS_DIR/pebble.crt" \
        timeout=20 preferred-chain="Other Root" "$@"
    (cd "$T/www" && run "$T/fake.json" "$T/accountd.conf" newOrder wait.example <"$T/wait.csr" >"$T/out.pem" 2>"$log")
}

ALTERNATES="/cert/relative|http://127.0.0.1:$((PORT0 + 19))/cert/2|ftp://127.0.0.1/cert/3" \
    order_at_fake_ca "$T/alt.log" || t_fail "broken alternates cost the certificate: $(cat "$T/alt.log")"
cmp -s "$T/out.pem" "$T/chain.pem" || t_fail "the default chain was not printed"
[ "$(grep -c '^Warning: ignoring an alternate chain' "$T/alt.log")" -eq 3 ] || t_fail "no warning per broken link: $(cat "$T/alt.log")"
grep -q "^Warning: no chain issued by 'Other Root'; using the CA's default chain" "$T/alt.log" || t_fail "no fallback warning"
grep -q 'POST /cert/1' "$T/fake-order.log" || t_fail "no certificate download"
t_pass "relative, plain-http and ftp alternate links: warnings, default chain kept (exit 0)"

ALTERNATES="https://127.0.0.1:$((PORT0 + 19))/cert/unreachable" order_at_fake_ca "$T/down.log" ||
    t_fail "an unreachable alternate cost the certificate: $(cat "$T/down.log")"
cmp -s "$T/out.pem" "$T/chain.pem" || t_fail "the default chain was not printed"
grep -q '^Warning: ignoring the alternate chains: .*connect' "$T/down.log" || t_fail "no warning: $(cat "$T/down.log")"
t_pass "unreachable alternate: warning, default chain kept (exit 0)"

for url in "http://127.0.0.1:PORT/chall/1" "file:///etc/passwd" "/chall/1"; do
    u=${url/PORT/$((port + 1))}
    if CHALLENGE_URL=$u order_at_fake_ca "$T/url.log"; then t_fail "challenge URL $u was accepted"; fi
    grep -qE "^Error: refusing the CA's (plain http URL|URL) '$u'" "$T/url.log" || t_fail "$u: $(cat "$T/url.log")"
    ! grep -q 'chall' "$T/fake-order.log" || t_fail "$u: a request reached the challenge"
    [ -z "$(ls -A "$T/www")" ] || t_fail "challenge files left behind"
    t_pass "challenge URL $u refused before any request"
done

# Terminal escapes in the account URL (Location) never reach the terminal.
port=$((port + 1))
ACCOUNT_URL=$'https://127.0.0.1:'"$port"$'/acct/1\e]0;pwned\a\e[31m' fake_ca "$port" order
client_json "$T/acct.json" server="https://127.0.0.1:$port/dir" SSL_CAfile="$TEST_TLS_DIR/pebble.crt"
run "$T/acct.json" "$T/accountd.conf" account 0 >"$T/acct.out" 2>"$T/acct.log" || true
DEBUG=1 run "$T/acct.json" "$T/accountd.conf" account 0 >>"$T/acct.out" 2>>"$T/acct.log" || true
grep -q '^Key ID: https://127.0.0.1:[0-9]*/acct/1' "$T/acct.log" || t_fail "no Key ID line: $(cat -v "$T/acct.log")"
! LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$T/acct.log" "$T/acct.out" || t_fail "control characters printed: $(cat -v "$T/acct.log")"
t_pass "the account URL is printed without its terminal escapes"
t_done
