#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# External account binding (RFC 8555 §7.3.4) against pebble configured to require it: refused
# without EAB and with a wrong MAC key (one readable line each), then registration with the
# right HS256 key and an issuance with that account. Our client invoked directly (Perl's master
# has no EAB options) with our accountd.
source "$(dirname "$0")/lib.sh"
t_require python3; t_require openssl
CLIENT="$BUILD/client/client"
HELPER="$(cd "$(dirname "$0")" && pwd)/client_helper.py"
[ -x "$CLIENT" ] || t_fail "client not built at $CLIENT"
[ -x "$ACCOUNTD" ] || t_fail "our lacme-accountd is not built at $ACCOUNTD"

mac_key=$(openssl rand 32 | base64 -w0 | tr '+/' '-_' | tr -d '=')
PEBBLE_CONFIG_EXTRA="\"externalAccountBindingRequired\": true, \"externalAccountMACKeys\": {\"kid-1\": \"$mac_key\"}" t_pebble_up
t_keygen "$T/account.key" p256
printf 'privkey = file:%s\n' "$T/account.key" >"$T/accountd.conf"
python3 -c 'import json,sys; print(json.dumps({"server": sys.argv[1], "SSL_CAfile": sys.argv[2]}))' \
    "$PEBBLE_URL" "$PEBBLE_CA" >"$T/client.json"
client() {
    python3 "$HELPER" run --accountd "$ACCOUNTD --quiet --config=$T/accountd.conf" --config "$T/client.json" -- "$CLIENT" "$@"
}
printf '%s\n' "$mac_key" >"$T/eab.key"
openssl rand 32 | base64 -w0 | tr '+/' '-_' | tr -d '=' >"$T/wrong.key"

t_expect_fail "registration without EAB where the CA requires it" "external account binding" client account 3
t_expect_fail "registration with a wrong EAB MAC key" "HTTP 4[0-9][0-9] .*(unauthorized|malformed|externalAccount|[Bb]inding)" \
    client account 3 --eab-kid=kid-1 --eab-hmac-key="$T/wrong.key"
t_expect_fail "registration with an unknown EAB key id" "HTTP 4[0-9][0-9]" \
    client account 3 --eab-kid=kid-2 --eab-hmac-key="$T/eab.key"
client account 3 --eab-kid=kid-1 --eab-hmac-key="$T/eab.key" mailto:eab@example.org >"$T/account.json" 2>"$T/account.log" ||
    t_fail "EAB registration: $(cat "$T/account.log")"
grep -q '"status":"valid"' "$T/account.json" || t_fail "no valid account: $(cat "$T/account.json")"
t_pass "registration with an HS256 external account binding"

mkdir -p "$T/www/.well-known/acme-challenge"
t_bg "$T/http01.log" python3 -m http.server --bind 127.0.0.1 --directory "$T/www" "$HTTP01_PORT"
t_wait_for "http-01 server" bash -c "exec 3<>/dev/tcp/127.0.0.1/$HTTP01_PORT"
t_keygen "$T/service.key" p256
openssl req -new -key "$T/service.key" -subj "/CN=eab.example.org" -addext "subjectAltName=DNS:eab.example.org" -outform DER -out "$T/eab.csr" 2>/dev/null
(cd "$T/www/.well-known/acme-challenge" && client newOrder eab.example.org <"$T/eab.csr" >"$T/eab.pem" 2>"$T/order.log") ||
    t_fail "issuance with the EAB account: $(cat "$T/order.log")"
t_verify_chain "$T/eab.pem" eab.example.org
t_pass "issuance with the EAB-bound account"
t_done
