#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Account key rollover (keyChange) to a key held by another accountd, issuance with the new key,
# then deactivation; our client invoked directly against pebble.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/client_lib.sh"
client_direct_setup
client account 3 mailto:direct@example.org >/dev/null 2>"$T/account.log" || t_fail "register: $(cat "$T/account.log")"
mkdir -p "$T/www/.well-known/acme-challenge"
t_bg "$T/http01.log" python3 "$HELPER" http01 "$HTTP01_PORT" "$T/www/.well-known/acme-challenge"
t_wait_for "http-01 server" bash -c "exec 3<>/dev/tcp/127.0.0.1/$HTTP01_PORT"
t_keygen "$T/service.key" p256
openssl req -new -key "$T/service.key" -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
    -outform DER -out "$T/ip.csr" 2>/dev/null

t_keygen "$T/new.key" p256
printf 'privkey = file:%s\n' "$T/new.key" >"$T/accountd-new.conf"
mkdir -m 0700 "$T/sock"
t_bg "$T/accountd-new.log" "$ACCOUNTD" --config="$T/accountd-new.conf" --socket="$T/sock/S.new"
t_wait_for "new-key accountd socket" test -S "$T/sock/S.new"
client account 0 --new-key-socket="$T/sock/S.new" >"$T/rolled.json" 2>"$T/rollover.log" ||
    t_fail "keyChange: $(cat "$T/rollover.log")"
t_pass "account key rollover (keyChange) to a key held by another accountd"
t_expect_fail "the old key no longer has an account" "accountDoesNotExist|account lookup" client account 0
(cd "$T/www/.well-known/acme-challenge" &&
    run "$T/client.json" "$T/accountd-new.conf" newOrder 127.0.0.1 <"$T/ip.csr" >"$T/new.pem" 2>"$T/new.log") ||
    t_fail "issuance with the new key: $(cat "$T/new.log")"
openssl verify -CAfile "$T/pebble/root.pem" -untrusted "$T/new.pem" "$T/new.pem" >/dev/null 2>&1 || t_fail "chain after rollover"
t_pass "issuance with the new account key"
run "$T/client.json" "$T/accountd-new.conf" account 4 >"$T/deact.json" 2>"$T/deact.log" || t_fail "deactivate: $(cat "$T/deact.log")"
grep -q '"status":"deactivated"' "$T/deact.json" || t_fail "not deactivated: $(cat "$T/deact.json")"
t_pass "account deactivation"
t_done
