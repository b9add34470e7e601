#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# What `lacme check` and `lacme-accountd --check-policy` used to pass and a run then failed on,
# and configuration errors that did not name FILE:LINE: a section without subjectAltName issues
# (its CN is requested as lacme.conf(5) says, and carried in the request's subjectAltName); a
# policy's state-directory that does not exist is refused by --check-policy; [client] user, chown,
# accountd's quiet and a privkey without a method name their FILE:LINE.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
t_master_up
t_master_file_account
t_keygen "$T/conf/cn.key" p256
cat >"$T/conf/cn.conf" <<CONF
[cn]
certificate-key = $T/conf/cn.key
certificate-chain = $T/conf/cn.pem
subject = /CN=cn-only.example.org
CAfile = $PEBBLE_ROOTS
CONF
"$LACME" --config="$T/conf/lacme.conf" check --config-certs="$T/conf/cn.conf" >"$T/check.log" 2>&1 ||
    t_fail "check refuses a CN-only section: $(cat "$T/check.log")"
"$LACME" --config="$T/conf/lacme.conf" newOrder --config-certs="$T/conf/cn.conf" >/dev/null 2>"$T/cn.err" ||
    t_fail "a section without subjectAltName does not issue: $(cat "$T/cn.err")"
t_verify_chain "$T/conf/cn.pem" cn-only.example.org
t_pass "a section without subjectAltName is issued for its CN"

line_of() { grep -n "^$1" "$2" | head -1 | cut -d: -f1; }
printf 'chown = no-such-user-lacme\n' >>"$T/conf/cn.conf"
"$LACME" --config="$T/conf/lacme.conf" check --config-certs="$T/conf/cn.conf" >"$T/check.log" 2>&1 &&
    t_fail "check accepts an unknown chown user"
grep -q "cn.conf:$(line_of chown "$T/conf/cn.conf"): chown: .*no-such-user-lacme" "$T/check.log" ||
    t_fail "the chown error does not name FILE:LINE: $(cat "$T/check.log")"
sed 's/^\[client\]$/[client]\nuser = no-such-user-lacme/' "$T/conf/lacme.conf" >"$T/conf/user.conf"
"$LACME" --config="$T/conf/user.conf" check --config-certs="$T/conf/cn.conf" >"$T/check.log" 2>&1 &&
    t_fail "check accepts an unknown [client] user"
grep -q "user.conf:$(line_of user "$T/conf/user.conf"): \[client\] user no-such-user-lacme does not exist" "$T/check.log" ||
    t_fail "the [client] user error does not name FILE:LINE: $(cat "$T/check.log")"
t_pass "chown and [client] user errors name FILE:LINE"

printf '[policy]\nlabel = web\nmax-orders-per-hour = 3\nstate-directory = %s/no-such-dir\n' "$T" >"$T/policy.conf"
"$ACCOUNTD" --check-policy="$T/policy.conf" >"$T/policy.log" 2>&1 && t_fail "--check-policy accepts a missing state-directory"
grep -q "policy.conf:4: state-directory $T/no-such-dir: No such file or directory" "$T/policy.log" ||
    t_fail "the state-directory error: $(cat "$T/policy.log")"
mkdir "$T/no-such-dir"
"$ACCOUNTD" --check-policy="$T/policy.conf" >"$T/policy.log" 2>&1 || t_fail "--check-policy: $(cat "$T/policy.log")"
t_pass "--check-policy refuses a state-directory that does not exist"

printf 'privkey = %s\nquiet = 1\n' "$T/account.key" >"$T/bad-accountd.conf"
"$ACCOUNTD" --config="$T/bad-accountd.conf" --stdio </dev/null >/dev/null 2>"$T/accountd.log" && t_fail "privkey without a method accepted"
grep -q "bad-accountd.conf:1: privkey: unsupported method: $T/account.key (a key file is file:$T/account.key)" "$T/accountd.log" ||
    t_fail "the privkey error: $(cat "$T/accountd.log")"
grep -q "bad-accountd.conf:2: quiet: '1' is neither Yes nor No" "$T/accountd.log" ||
    t_fail "the quiet warning: $(cat "$T/accountd.log")"
t_pass "accountd's privkey without a method suggests file:, its quiet names FILE:LINE"
t_done
