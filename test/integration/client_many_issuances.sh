#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# pebble at its default 5% nonce rejection: 30 issuances in a row under Debian's Perl master with
# our client must all succeed (Perl's own client fails about one in five).
source "$(dirname "$0")/lib.sh"
t_require lacme; t_require lacme-accountd
CLIENT="$BUILD/client/client"
[ -x "$CLIENT" ] || t_fail "client not built at $CLIENT"

t_pebble_up
t_keygen "$T/account.key" rsa2048
printf 'privkey = file:%s\n' "$T/account.key" >"$T/accountd.conf"
t_perl_lacme_conf "$T/conf" client="$CLIENT" accountd=lacme-accountd accountd_config="$T/accountd.conf"
t_perl_lacme "$T/conf" account --register --tos-agreed >/dev/null 2>"$T/reg.log" || t_fail "register: $(cat "$T/reg.log")"
t_certs_conf "$T/conf" many a.example.org b.example.org
for i in $(seq 30); do
    rm -f "$T/conf/many.pem"
    t_perl_lacme "$T/conf" newOrder --config-certs="$T/conf/certs.conf" --force 2>"$T/order.log" ||
        t_fail "issuance $i of 30 failed: $(cat "$T/order.log")"
    t_verify_chain "$T/conf/many.pem" a.example.org b.example.org
done
t_pass "30 issuances in a row at pebble's default nonce rejection"
t_done
