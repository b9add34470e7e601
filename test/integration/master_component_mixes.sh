#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 23 item 11: a renewal works for every mix of our and Debian's Perl master, client,
# webserver and accountd. A renewal is where our master passes the client the ARI identifier of
# the certificate it replaces (--replaces=ID); Perl's client took it for a name and every renewal
# failed. Our master now asks the client what it supports (`client capabilities`, which Perl's
# client fails) and passes nothing else.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
t_require lacme; t_require lacme-accountd
[ -x /usr/libexec/lacme/client ] && [ -x /usr/libexec/lacme/webserver ] || t_fail "Debian's lacme package is not installed"
t_master_up PEBBLE_WFE_NONCEREJECT=0   # Perl's client does not retry badNonce
t_keygen "$T/account.key" rsa2048       # Perl's accountd holds only RSA keys
printf 'privkey = file:%s\n' "$T/account.key" >"$T/accountd.conf"
t_master_conf "$T/register" accountd="$ACCOUNTD" accountd_config="$T/accountd.conf"
"$LACME" --config="$T/register/lacme.conf" account --register --tos-agreed >/dev/null 2>"$T/register.log" ||
    t_fail "register: $(cat "$T/register.log")"

n=0
for master in ours perl; do
    for client in ours perl; do
        for web in ours perl; do
            for accountd in ours perl; do
                n=$((n + 1))
                mix="master=$master client=$client webserver=$web accountd=$accountd"
                d="$T/mix$n"
                c=$CLIENT; [ "$client" = ours ] || c=/usr/libexec/lacme/client
                w=$WEBSERVER; [ "$web" = ours ] || w=/usr/libexec/lacme/webserver
                a=$ACCOUNTD; [ "$accountd" = ours ] || a=/usr/bin/lacme-accountd
                m=$LACME; [ "$master" = ours ] || m=/usr/sbin/lacme
                t_master_conf "$d" client="$c" webserver="$w" accountd="$a" accountd_config="$T/accountd.conf"
                t_certs_conf "$d" www "mix$n.example.org"
                "$m" --config="$d/lacme.conf" newOrder --config-certs="$d/certs.conf" >"$d/issue.log" 2>&1 ||
                    t_fail "$mix: first issuance: $(cat "$d/issue.log")"
                first=$(openssl x509 -in "$d/www.pem" -noout -serial)
                "$m" --config="$d/lacme.conf" newOrder --config-certs="$d/certs.conf" --force >"$d/renew.log" 2>&1 ||
                    t_fail "$mix: renewal: $(cat "$d/renew.log")"
                t_verify_chain "$d/www.pem" "mix$n.example.org"
                [ "$(openssl x509 -in "$d/www.pem" -noout -serial)" != "$first" ] || t_fail "$mix: not renewed"
                t_pass "$mix: issued and renewed"
            done
        done
    done
done
t_done
