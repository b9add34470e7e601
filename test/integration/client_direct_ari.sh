#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# ARI (RFC 9773) against a fake directory (pebble 2.4 has none): renewal-info fetches
# renewalInfo/CERTID and prints the window, newOrder --replaces sends the identifier, and a CA
# without renewalInfo is a one-line error. CERTID is computed by client_helper.py ari-id, checked
# here against RFC 9773 §4.1's serial example.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/client_lib.sh"
client_accountd_key
t_keygen "$T/cert.key" p256
openssl req -x509 -new -key "$T/cert.key" -subj /CN=renew.example.org -set_serial 0x87654321 -days 2 \
    -out "$T/cert.pem" 2>/dev/null
openssl x509 -in "$T/cert.pem" -outform DER -out "$T/cert.der"
cert_id=$(python3 "$HELPER" ari-id "$T/cert.pem")
[[ $cert_id == *.AIdlQyE ]] || t_fail "ari-id: serial 0x87654321 must encode as AIdlQyE: $cert_id"

ARI_LOG="$T/ari.log" ORDER_LOG="$T/orders.log" fake_ca "$PORT0" ari
client_json "$T/ari.json" server="https://127.0.0.1:$PORT0/dir" SSL_CAfile="$TEST_TLS_DIR/pebble.crt"
run "$T/ari.json" "$T/accountd.conf" renewal-info <"$T/cert.der" >"$T/window.json" 2>"$T/ari-client.log" ||
    t_fail "renewal-info: $(cat "$T/ari-client.log")"
grep -q '"start":"2030-01-01T00:00:00Z"' "$T/window.json" || t_fail "no window printed: $(cat "$T/window.json")"
[ "$(cat "$T/ari.log")" = "$cert_id" ] || t_fail "ARI certID $(cat "$T/ari.log") != $cert_id"
t_pass "renewal-info fetches renewalInfo/CERTID (RFC 9773) and prints the window"

touch "$T/orders.log"
t_expect_fail "newOrder at the fake ARI CA fails with its problem" "this fake CA issues nothing" \
    run "$T/ari.json" "$T/accountd.conf" newOrder --replaces="$cert_id" renew.example.org <"$T/cert.der"
grep -q "\"replaces\":\"$cert_id\"" "$T/orders.log" || t_fail "newOrder lacks replaces: $(cat "$T/orders.log")"
t_pass "newOrder --replaces sends the ARI certificate identifier when the CA has renewalInfo"

fake_ca "$((PORT0 + 1))" stuck  # a directory without renewalInfo
client_json "$T/noari.json" server="https://127.0.0.1:$((PORT0 + 1))/dir" SSL_CAfile="$TEST_TLS_DIR/pebble.crt"
t_expect_fail "renewal-info at a CA without ARI" "no 'renewalInfo'" run "$T/noari.json" "$T/accountd.conf" renewal-info <"$T/cert.der"
t_done
