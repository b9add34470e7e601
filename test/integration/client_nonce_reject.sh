#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# badNonce retries: pebble rejecting half of all valid nonces; every issuance must still succeed
# (Debian's Perl master + our client + Perl accountd), and so must registration and revocation.
source "$(dirname "$0")/lib.sh"
t_require lacme; t_require lacme-accountd
CLIENT="$BUILD/client/client"
[ -x "$CLIENT" ] || t_fail "client not built at $CLIENT"

t_pebble_up PEBBLE_WFE_NONCEREJECT=50
t_keygen "$T/account.key" rsa2048
printf 'privkey = file:%s\n' "$T/account.key" >"$T/accountd.conf"
t_perl_lacme_conf "$T/conf" client="$CLIENT" accountd=lacme-accountd accountd_config="$T/accountd.conf"
t_perl_lacme "$T/conf" account --register --tos-agreed >/dev/null 2>"$T/reg.log" || t_fail "register: $(cat "$T/reg.log")"
t_pass "register at 50% nonce rejection"
t_certs_conf "$T/conf" rej a.example.org b.example.org
for i in $(seq 8); do
    t_perl_lacme "$T/conf" --debug newOrder --config-certs="$T/conf/certs.conf" --force >/dev/null 2>"$T/order$i.log" ||
        t_fail "issuance $i at 50% nonce rejection: $(cat "$T/order$i.log")"
    t_verify_chain "$T/conf/rej.pem" a.example.org b.example.org
done
t_pass "8 issuances in a row at 50% nonce rejection"
grep -q badNonce "$T"/order*.log || t_fail "pebble rejected no nonce: the test proves nothing"
echo "# badNonce answers retried over 8 orders: $(cat "$T"/order*.log | grep -c badNonce || true)"
t_perl_lacme "$T/conf" revokeCert "$T/conf/rej.pem" 2>"$T/revoke.log" || t_fail "revoke: $(cat "$T/revoke.log")"
t_pass "revocation at 50% nonce rejection"
t_done
