#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Many peers at once: 8 connections x 500 signatures on one lacme-accountd socket, for each key
# type; every signature is verified with OpenSSL against the JWK of the greeting.
source "$(dirname "$0")/lib.sh"
load="$BUILD/test/tools/accountd-load"
[ -x "$load" ] || t_fail "missing $load (build the project first)"
mkdir -p "$T/run"; chmod 0700 "$T/run"
for keytype in rsa2048 p256 p384; do
    t_keygen "$T/$keytype.key" "$keytype"
    sock="$T/run/$keytype.sock"
    t_bg "$T/accountd-$keytype.log" "$ACCOUNTD" --quiet --privkey="file:$T/$keytype.key" --socket="$sock"
    t_wait_for "socket" test -S "$sock"
    out=$("$load" "$sock" 8 500 --verify 2>&1) || t_fail "$keytype: $out"
    grep -q "signatures=4000 failures=0" <<<"$out" || t_fail "$keytype: $out"
    t_pass "$keytype: 8 concurrent connections x 500 signatures, all verify ($out)"
done
t_done
