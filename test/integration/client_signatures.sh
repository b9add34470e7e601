#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Signatures per order, counted on the accountd socket under Debian's Perl master: with the
# account URL known from accountd's greeting (keyid) and fresh authorizations, an order for n
# names costs at most 2n+4 signatures; without keyid, one more (the account lookup). Perl's own
# client is counted the same way, for the record.
source "$(dirname "$0")/lib.sh"
t_require lacme; t_require lacme-accountd; t_require python3
CLIENT="$BUILD/client/client"
HELPER="$(cd "$(dirname "$0")" && pwd)/client_helper.py"
[ -x "$CLIENT" ] || t_fail "client not built at $CLIENT"

# No nonce rejection and no authorization reuse: every order validates every name, no retries.
t_pebble_up PEBBLE_WFE_NONCEREJECT=0 PEBBLE_AUTHZREUSE=0
t_keygen "$T/account.key" rsa2048
printf 'privkey = file:%s\n' "$T/account.key" >"$T/accountd.conf"
t_perl_lacme_conf "$T/reg" client="$CLIENT" accountd=lacme-accountd accountd_config="$T/accountd.conf"
lacme --config="$T/reg/lacme.conf" account --register --tos-agreed >/dev/null 2>"$T/reg.log" || t_fail "register: $(cat "$T/reg.log")"
kid=$(sed -n 's/^Key ID: //p' "$T/reg.log")
[ -n "$kid" ] || t_fail "no Key ID in $(cat "$T/reg.log")"
printf 'privkey = file:%s\nkeyid = %s\n' "$T/account.key" "$kid" >"$T/accountd-kid.conf"

# A concurrent webserver with a large backlog: Perl's master listens with a backlog of 5 and
# Perl's webserver accepts one connection at a time, so pebble's 3 vantage points x 3 names lose
# SYNs and validation waits for TCP's 1 s retransmission, which no client can see coming (it
# then costs one finalize attempt and one poll more).
WEB="python3 $HELPER webserver"
# count_order CLIENT ACCOUNTD_CONF NAME DOMAIN...: issues, prints the signatures it took.
count_order() {
    local client=$1 conf=$2 name=$3; shift 3
    local dir="$T/$name"
    rm -f "$T/count"
    t_perl_lacme_conf "$dir" client="$client" webserver="$WEB" accountd="python3 $HELPER count $T/count lacme-accountd" accountd_config="$conf"
    t_certs_conf "$dir" "$name" "$@"
    lacme --config="$dir/lacme.conf" newOrder --config-certs="$dir/certs.conf" --force >"$dir/order.out" 2>"$dir/order.log" ||
        t_fail "$name: issuance failed: $(cat "$dir/order.log")"
    t_verify_chain "$dir/$name.pem" "$@"
    cat "$T/count"
}

for n in 1 2 3 5; do
    domains=()
    for i in $(seq "$n"); do domains+=("n$n-$i.example.org"); done
    sigs=$(count_order "$CLIENT" "$T/accountd-kid.conf" "ours$n" "${domains[@]}")
    [ "$sigs" -le $((2 * n + 4)) ] || t_fail "$n names: $sigs signatures > 2n+4 = $((2 * n + 4))"
    t_pass "$n-name order with keyid: $sigs signatures (limit $((2 * n + 4)))"
done
sigs=$(count_order "$CLIENT" "$T/accountd.conf" ours-nokid a.example.org b.example.org)
[ "$sigs" -le 9 ] || t_fail "2 names without keyid: $sigs signatures > 9"
t_pass "2-name order without keyid: $sigs signatures (limit 9)"

# Parallel authorizations: all authorization fetches, then all challenge answers, are in flight
# before the first of their responses arrives (our client's DEBUG trace, through Perl's master).
dir="$T/parallel"
t_perl_lacme_conf "$dir" client="$CLIENT" webserver="$WEB" accountd=lacme-accountd accountd_config="$T/accountd-kid.conf"
t_certs_conf "$dir" par p1.example.org p2.example.org p3.example.org
lacme --config="$dir/lacme.conf" --debug newOrder --config-certs="$dir/certs.conf" --force >/dev/null 2>"$dir/debug.log" ||
    t_fail "3-name order with --debug: $(grep -E '^Error' "$dir/debug.log")"
for kind in authZ chalZ; do
    sent_first=$(grep -E "(>>> POST|<<< [0-9]+) https://[^ ]*/$kind/" "$dir/debug.log" | head -3 | grep -c '>>> POST' || true)
    [ "$sent_first" -eq 3 ] || t_fail "$kind requests not concurrent: $(grep -E "/$kind/" "$dir/debug.log")"
done
t_pass "authorizations fetched and challenges answered concurrently"

perl_sigs=$(count_order /usr/libexec/lacme/client "$T/accountd-kid.conf" perl2 p1.example.org p2.example.org) ||
    perl_sigs="failed"
echo "# 2-name order signatures: ours $(count_order "$CLIENT" "$T/accountd-kid.conf" ours2b q1.example.org q2.example.org), Perl lacme $perl_sigs"
t_done
