#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# One order for 100 names (Let's Encrypt's limit), more than the 32 nonces the client keeps:
# its signed requests go out in rounds no larger than the nonce pool, and the certificate names
# all 100.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/client_lib.sh"
client_direct_setup
client_json "$T/client.json" server="$PEBBLE_URL" SSL_CAfile="$PEBBLE_CA" timeout=240
client account 3 >/dev/null 2>"$T/register.log" || t_fail "register: $(cat "$T/register.log")"
mkdir -p "$T/www/.well-known/acme-challenge"
# pebble fetches 100 challenges at once: a large listen backlog, a thread per connection.
t_bg "$T/http01.log" python3 "$HELPER" http01 "$HTTP01_PORT" "$T/www/.well-known/acme-challenge"
t_wait_for "http-01 server" bash -c "exec 3<>/dev/tcp/127.0.0.1/$HTTP01_PORT"

names=()
for i in $(seq 100); do names+=("n$i.many.example.org"); done
san=$(printf 'DNS:%s,' "${names[@]}")
t_keygen "$T/service.key" p256
openssl req -new -key "$T/service.key" -subj "/CN=${names[0]}" -addext "subjectAltName=${san%,}" \
    -outform DER -out "$T/many.csr" 2>/dev/null
(cd "$T/www/.well-known/acme-challenge" && DEBUG=1 client newOrder "${names[@]}" <"$T/many.csr" >"$T/many.pem" 2>"$T/many.log") ||
    t_fail "100-name order: $(grep -v '^\[client' "$T/many.log" | tail -3)"
t_verify_chain "$T/many.pem" "${names[@]}"
t_pass "a 100-name certificate is issued and names every name"
# Each round of signed requests is at most the pool's 32: never more HEAD newNonce in a row.
heads=$(grep -c '>>> HEAD' "$T/many.log" || true)
[ "$heads" -le 40 ] || t_fail "$heads newNonce requests for one order"
t_pass "newNonce asked $heads times for 100 names"
[ -z "$(ls -A "$T/www/.well-known/acme-challenge")" ] || t_fail "challenge files left behind"
t_pass "challenge files removed"
t_done
