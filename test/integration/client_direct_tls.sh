#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Our client invoked directly (as lacme's master does) against pebble: the TLS settings lacme's
# [client] section has (SSL_verify, SSL_version, SSL_cipher_list) and ours (SSL_CAfile).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/client_lib.sh"
client_direct_setup

client account 3 mailto:direct@example.org >"$T/account.json" 2>"$T/account.log" ||
    t_fail "register with SSL_CAfile: $(cat "$T/account.log")"
grep -q '"status":"valid"' "$T/account.json" || t_fail "no account printed: $(cat "$T/account.json")"
t_pass "register with SSL_CAfile pointing at the CA's TLS certificate"

# pebble's TLS certificate is in the system store too: a CAfile that lacks it must still fail.
client_json "$T/wrongca.json" server="$PEBBLE_URL" SSL_CAfile="$T/pebble/root.pem"
t_expect_fail "SSL_CAfile replaces the system store (wrong CA refused)" "SSL|certificate" \
    run "$T/wrongca.json" "$T/accountd.conf" account 0
# Not retried like a network error: the client's trace (DEBUG=1) shows no retry.
DEBUG=1 run "$T/wrongca.json" "$T/accountd.conf" account 0 >/dev/null 2>"$T/wrongca.trace" &&
    t_fail "a wrong CA accepted with DEBUG=1"
grep -q "SSL\|certificate" "$T/wrongca.trace" || t_fail "no TLS error in the trace: $(cat "$T/wrongca.trace")"
! grep -q "retrying" "$T/wrongca.trace" || t_fail "a TLS verification failure was retried like a network error: $(cat "$T/wrongca.trace")"
client_json "$T/noverify.json" server="$PEBBLE_URL" SSL_CAfile="$T/pebble/root.pem" SSL_verify=No
run "$T/noverify.json" "$T/accountd.conf" account 0 >/dev/null 2>"$T/noverify.log" ||
    t_fail "SSL_verify = No: $(cat "$T/noverify.log")"
t_pass "SSL_verify = No accepts an untrusted CA certificate"
client_json "$T/tls11.json" server="$PEBBLE_URL" SSL_version=TLSv1_1
t_expect_fail "SSL_version = TLSv1_1 is honoured (pebble needs TLS 1.2+)" "SSL|TLS|version|protocol" \
    run "$T/tls11.json" "$T/accountd.conf" account 0
client_json "$T/tls12.json" server="$PEBBLE_URL" SSL_version='SSLv23:!TLSv1:!TLSv1_1' SSL_cipher_list='ECDHE+AESGCM'
run "$T/tls12.json" "$T/accountd.conf" account 0 >/dev/null 2>"$T/tls12.log" || t_fail "SSL_version/SSL_cipher_list: $(cat "$T/tls12.log")"
t_pass "SSL_version and SSL_cipher_list in lacme's syntax"
client_json "$T/badcipher.json" server="$PEBBLE_URL" SSL_cipher_list='NO-SUCH-CIPHER'
t_expect_fail "an unusable SSL_cipher_list is an error" "cipher|SSL" run "$T/badcipher.json" "$T/accountd.conf" account 0

t_done
