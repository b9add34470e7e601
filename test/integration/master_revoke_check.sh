#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Our master: revokeCert of an issued certificate (by the account key), a second revocation
# fails with exit 1; `lacme check` passes on a good configuration and names each problem of a
# bad one (missing key, CAfile, target dir, chown user, system user) with exit 1, without
# contacting the CA; newOrder with a missing system user is a configuration error (exit 2).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
t_master_up
t_master_file_account
t_section "$T/conf/certs.conf" www p256 www.example.org

t_master check --config-certs="$T/conf/certs.conf" >"$T/check.out" 2>&1 || t_fail "check of a good config: $(cat "$T/check.out")"
t_pass "check passes on a good configuration"

t_master newOrder --config-certs="$T/conf/certs.conf" 2>"$T/order.log" || t_fail "newOrder: $(cat "$T/order.log")"
t_master revokeCert "$T/conf/www.pem" 2>"$T/revoke.log" || t_fail "revokeCert: $(cat "$T/revoke.log")"
grep -q "Revoking $T/conf/www.pem" "$T/revoke.log" || t_fail "no 'Revoking' line: $(cat "$T/revoke.log")"
t_pass "revokeCert revokes an issued certificate"

rc=0
t_master revokeCert "$T/conf/www.pem" >/dev/null 2>"$T/again.log" || rc=$?
[ "$rc" -eq 1 ] && grep -q "alreadyRevoked" "$T/again.log" || t_fail "second revocation: exit $rc: $(cat "$T/again.log")"
t_pass "revoking twice fails with the CA's alreadyRevoked, exit 1"

rc=0
t_master revokeCert "$T/nonexistent.pem" >/dev/null 2>"$T/nofile.log" || rc=$?
[ "$rc" -eq 1 ] && grep -q "nonexistent.pem" "$T/nofile.log" || t_fail "missing file: exit $rc: $(cat "$T/nofile.log")"
t_pass "revokeCert of a missing file names it, exit 1"

sed -i -e "s|^certificate-key = .*|certificate-key = $T/conf/missing.key|" -e "s|^CAfile = .*|CAfile = $T/missing-ca.pem|" \
    -e "s|^certificate-chain = .*|certificate-chain = $T/no-such-dir/www.pem|" "$T/conf/certs.conf"
echo "chown = no-such-owner-lacme" >>"$T/conf/certs.conf"
sed -i 's|^\[client\]|[client]\nuser = no-such-user-lacme|' "$T/conf/lacme.conf"
posts=$(grep -c POST "$T/pebble.log")
rc=0
t_master check --config-certs="$T/conf/certs.conf" >"$T/bad.out" 2>&1 || rc=$?
[ "$rc" -eq 1 ] || t_fail "check of a bad config: exit $rc: $(cat "$T/bad.out")"
grep -q "no-such-user-lacme" "$T/bad.out" || t_fail "missing user not named: $(cat "$T/bad.out")"
for cause in missing.key missing-ca.pem "target directory $T/no-such-dir" "unknown user no-such-owner-lacme"; do
    grep -q "^Error: \[www\] .*$cause" "$T/bad.out" || t_fail "check does not name $cause: $(cat "$T/bad.out")"
done
[ "$(grep -c POST "$T/pebble.log")" = "$posts" ] || t_fail "check contacted the CA"
t_pass "check names a missing user, key, CAfile, target dir and chown user, exit 1, CA not contacted"

rc=0
t_master newOrder --config-certs="$T/conf/certs.conf" --force >/dev/null 2>"$T/nouser.log" || rc=$?
[ "$rc" -eq 2 ] && [ "$(cat "$T/nouser.log")" = "Error: $T/conf/lacme.conf:$(grep -n '^user = no-such-user-lacme' "$T/conf/lacme.conf" | cut -d: -f1): [client] user no-such-user-lacme does not exist" ] ||
    t_fail "missing user: exit $rc: $(cat "$T/nouser.log")"
t_pass "newOrder with a missing system user: exit 2, one line naming it"
t_done
