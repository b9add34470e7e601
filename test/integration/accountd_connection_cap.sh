#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# lacme-accountd's cap of 512 open connections is one daemon-wide count, not a share per
# worker thread: at the cap a new peer waits in the backlog (no refusal, no log line per peer)
# and is served as soon as any connection closes, whichever worker it was on.
source "$(dirname "$0")/lib.sh"
t_require python3
t_accountd_daemon --quiet
out=$(t_accountd_peer "$sock" cap 512)
[ "$out" = OK ] || t_fail "$out"
[ "$(grep -c 'Too many connections (512 open)' "$T/accountd.log")" -ge 1 ] || t_fail "reaching the cap was not logged"
[ "$(wc -l <"$T/accountd.log")" -le 5 ] || t_fail "log flood at the cap: $(wc -l <"$T/accountd.log") lines"
t_pass "512 connections served, the 513th waits and is served when any of them closes"
[ "$(t_accountd_peer "$sock" sign 3)" = OK ] || t_fail "daemon no longer serves"
t_pass "the daemon serves normally afterwards"
t_done
