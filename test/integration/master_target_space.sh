#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 23 item 8: a target directory without room for the new chain (a 16 KiB tmpfs, in this
# test's own mount namespace) fails its section before ordering: the CA (here unreachable, so
# that any request would fail differently) is never asked; `lacme check` reports the same.
T_PRIVATE_MOUNTS=1
source "$(dirname "$0")/lib.sh"
LACME="$BUILD/master/lacme"
mkdir "$T/small"
mount -t tmpfs -o size=16k tmpfs "$T/small"
t_on_exit "umount '$T/small'"
t_keygen "$T/www.key" p256
printf '[client]\nserver = https://127.0.0.1:%s/dir\nuser =\ngroup =\n[webserver]\nlisten = 127.0.0.1:%s\nuser =\ngroup =\n' \
    "$PORT0" "$((PORT0 + 1))" >"$T/lacme.conf"
printf '[www]\ncertificate-key = %s/www.key\ncertificate-chain = %s/small/www.pem\nsubject = /CN=www.example.org\n' \
    "$T" "$T" >"$T/certs.conf"
shortage="not enough free space in $T/small: 16384 bytes available, about 65536 needed"

rc=0
"$LACME" --config="$T/lacme.conf" newOrder --config-certs="$T/certs.conf" 2>"$T/order.log" || rc=$?
[ "$rc" -eq 1 ] || t_fail "full target: exit $rc, expected 1: $(cat "$T/order.log")"
grep -qF "[www] FAILED: $shortage" "$T/order.log" || t_fail "full target: $(cat "$T/order.log")"
t_pass "a full target directory fails its section before ordering, with the space found and needed"

rc=0
"$LACME" --config="$T/lacme.conf" check --config-certs="$T/certs.conf" >"$T/check.log" 2>&1 || rc=$?
[ "$rc" -ne 0 ] && grep -qF "$shortage" "$T/check.log" || t_fail "check: $(cat "$T/check.log")"
t_pass "lacme check reports the full target directory"
t_done
