#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Configurations Debian's Perl lacme 0.8 runs keep working with our master, read as lacme 0.8
# reads them, each with a warning naming FILE:LINE, and `lacme check` counts each as a problem:
# unknown keys in the default section of lacme.conf and of a certificate file, booleans neither
# Yes nor No (iptables: only "yes" is on; quiet, SSL_verify: only "no" is off), an empty `listen`
# without `challenge-directory` for `account` (only newOrder needs a challenge responder).
# Differential: Perl's lacme runs the same files.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
t_master_up
t_master_file_account
conf=$T/conf/lacme.conf
{ printf 'unknown-default = 1\n'; sed -e 's/^\[client\]$/[client]\nSSL_verify = maybe/' \
    -e 's/^\[webserver\]$/[webserver]\niptables = true/' -e 's/^\[accountd\]$/[accountd]\nquiet = 1/' "$conf"; } >"$T/conf/old.conf"
old=$T/conf/old.conf
line_of() { grep -n "^$1" "$2" | head -1 | cut -d: -f1; }
printf 'bogus-default = 1\n' >"$T/conf/certs.conf"
t_section "$T/conf/certs.conf" www p256 www.example.org

rc=0
"$LACME" --config="$old" newOrder --config-certs="$T/conf/certs.conf" >"$T/out" 2>"$T/err" || rc=$?
[ $rc = 0 ] || t_fail "newOrder with lacme 0.8's configuration: exit $rc: $(cat "$T/err")"
t_verify_chain "$T/conf/www.pem" www.example.org
for want in "$old:1: unknown key 'unknown-default'" \
            "$old:$(line_of 'SSL_verify' "$old"): \[client\] SSL_verify: 'maybe' is neither Yes nor No: taken as Yes" \
            "$old:$(line_of 'iptables' "$old"): \[webserver\] iptables: 'true' is neither Yes nor No: taken as No" \
            "$old:$(line_of 'quiet' "$old"): \[accountd\] quiet: '1' is neither Yes nor No: taken as Yes" \
            "$T/conf/certs.conf:1: unknown key 'bogus-default' in the default section"; do
    grep -q "^Warning: $want" "$T/err" || t_fail "no warning /$want/ in: $(cat "$T/err")"
done
iptables -S 2>/dev/null | grep -q -- "--dport $HTTP01_PORT" && t_fail "iptables = true was taken as Yes"
t_pass "lacme 0.8's configuration issues, with one warning naming FILE:LINE per deviation"

rc=0
"$LACME" --config="$old" check --config-certs="$T/conf/certs.conf" >"$T/check" 2>&1 || rc=$?
[ $rc = 1 ] || t_fail "check: exit $rc, expected 1: $(cat "$T/check")"
[ "$(grep -c '^Warning: ' "$T/check")" = 5 ] || t_fail "check does not list the 5 deviations: $(cat "$T/check")"
t_pass "lacme check reports each deviation as a problem"

sed 's/^listen = .*/listen =/' "$old" >"$T/conf/nolisten.conf"
"$LACME" --config="$T/conf/nolisten.conf" account >"$T/account.out" 2>"$T/account.err" ||
    t_fail "account with an empty listen: $(cat "$T/account.err")"
lacme --config="$T/conf/nolisten.conf" account >/dev/null 2>"$T/perl.err" ||
    t_fail "Perl's lacme refuses the same account run: $(cat "$T/perl.err")"
t_pass "an empty listen without challenge-directory does not stop account (as Perl)"
rc=0
"$LACME" --config="$T/conf/nolisten.conf" newOrder --force --config-certs="$T/conf/certs.conf" >/dev/null 2>"$T/err" || rc=$?
[ $rc != 0 ] && grep -q "nolisten.conf:$(line_of 'listen' "$T/conf/nolisten.conf"): 'challenge-directory' option is required" "$T/err" ||
    t_fail "newOrder with an empty listen: exit $rc: $(cat "$T/err")"
t_pass "newOrder with an empty listen fails naming FILE:LINE"
t_done
