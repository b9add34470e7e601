#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Debian's Perl lacme (master, client, webserver) issues 2-name certificates from pebble with OUR
# lacme-accountd holding the account key: (a) spawned by the master over its socketpair
# (--stdio), (b) as a daemon on a UNIX socket (--socket). RSA-2048, P-256 and P-384 account keys.
# Perl's client does not retry badNonce, so pebble's nonce rejection is off here; the badNonce
# behaviour of our own client is tested in the client_* tests.
source "$(dirname "$0")/lib.sh"
t_require lacme
t_pebble_up PEBBLE_WFE_NONCEREJECT=0


for keytype in rsa2048 p256 p384; do
    # (a) master spawns our accountd with --stdio
    d="$T/stdio-$keytype"; mkdir -p "$d"
    t_keygen "$d/account.key" "$keytype"
    echo "privkey = file:$d/account.key" >"$d/accountd.conf"
    t_perl_lacme_conf "$d" accountd="$ACCOUNTD" accountd_config="$d/accountd.conf"
    # Perl lacme follows registration with an empty update that pebble refuses: ignore its exit.
    t_perl_lacme "$d" account --register --tos-agreed >"$d/register.log" 2>&1 || true
    grep -q '^Key ID: https' "$d/register.log" || t_fail "registration failed: $(cat "$d/register.log")"
    t_certs_conf "$d" www "www.$keytype.example.org" "$keytype.example.org"
    t_perl_lacme "$d" newOrder --config-certs="$d/certs.conf" --force >"$d/order.log" 2>&1 ||
        t_fail "newOrder over --stdio failed: $(cat "$d/order.log")"
    t_verify_chain "$d/www.pem" "www.$keytype.example.org" "$keytype.example.org"
    t_pass "$keytype account key, accountd spawned by Perl lacme (--stdio)"

    # (b) our accountd as a socket daemon, Perl lacme connecting with --socket
    d="$T/socket-$keytype"; mkdir -p "$d/run"; chmod 0700 "$d/run"
    cp "$T/stdio-$keytype/account.key" "$d/account.key"
    t_bg "$d/accountd.log" "$ACCOUNTD" --privkey="file:$d/account.key" --socket="$d/run/S.lacme"
    t_wait_for "accountd socket" test -S "$d/run/S.lacme"
    [ "$(stat -c %a "$d/run/S.lacme")" = 600 ] || t_fail "socket mode is $(stat -c %a "$d/run/S.lacme"), want 600"
    t_perl_lacme_conf "$d"
    t_certs_conf "$d" www "mail.$keytype.example.org" "smtp.$keytype.example.org"
    t_perl_lacme "$d" --socket="$d/run/S.lacme" newOrder --config-certs="$d/certs.conf" --force >"$d/order.log" 2>&1 ||
        t_fail "newOrder over --socket failed: $(cat "$d/order.log")"
    t_verify_chain "$d/www.pem" "mail.$keytype.example.org" "smtp.$keytype.example.org"
    grep -q 'SIGNED header=' "$d/accountd.log" || t_fail "accountd did not log its signatures"
    t_pass "$keytype account key, accountd daemon on a UNIX socket (--socket)"
done
t_done
