#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Our master with Debian's Perl components on the other side of every interface: Perl's client
# (/usr/libexec/lacme/client), Perl's webserver and Perl's lacme-accountd (RSA account key):
# register, then two sections issued concurrently through the one shared accountd connection,
# then revokeCert.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
t_require lacme-accountd
[ -x /usr/libexec/lacme/client ] && [ -x /usr/libexec/lacme/webserver ] || t_fail "Debian's lacme package is not installed"
t_master_up PEBBLE_WFE_NONCEREJECT=0   # Perl's client does not retry badNonce
t_keygen "$T/account.key" rsa2048
printf 'privkey = file:%s\n' "$T/account.key" >"$T/accountd.conf"
t_master_conf "$T/conf" client=/usr/libexec/lacme/client webserver=/usr/libexec/lacme/webserver \
    accountd=/usr/bin/lacme-accountd accountd_config="$T/accountd.conf"

t_master account --register --tos-agreed mailto:perl@example.org >"$T/account.json" 2>"$T/register.log" ||
    t_fail "register: $(cat "$T/register.log")"
grep -q 'mailto:perl@example.org' "$T/account.json" || t_fail "no account printed: $(cat "$T/account.json")"
t_pass "account --register through Perl's client and accountd"

t_section "$T/conf/certs.conf" one rsa2048 one.example.org www.one.example.org
t_section "$T/conf/certs.conf" two p256 two.example.org
t_master newOrder --config-certs="$T/conf/certs.conf" 2>"$T/order.log" || t_fail "newOrder: $(cat "$T/order.log")"
t_verify_chain "$T/conf/one.pem" one.example.org www.one.example.org
t_verify_chain "$T/conf/two.pem" two.example.org
t_pass "two sections issued concurrently by Perl's clients sharing Perl's accountd, served by Perl's webserver"

t_master revokeCert "$T/conf/two.pem" 2>"$T/revoke.log" || t_fail "revokeCert: $(cat "$T/revoke.log")"
t_pass "revokeCert through Perl's client"
t_done
