#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# lacme-accountd drops peers that make no progress for --idle-timeout seconds: one that sends
# nothing, one that trickles a line a byte at a time, one that never reads our answers (the
# write side); a peer that keeps sending requests stays. The config key works too, and
# --stdio exits on an idle peer.
source "$(dirname "$0")/lib.sh"
t_require python3
t_accountd_daemon --idle-timeout=1

[ "$(t_accountd_peer "$sock" idle 4)" = CLOSED ] || t_fail "an idle peer was not dropped"
grep -q 'Closing connection: no progress for 1 s' "$T/accountd.log" || t_fail "idle drop not logged"
t_pass "a peer that sends nothing is dropped after the idle timeout"

[ "$(t_accountd_peer "$sock" trickle 4)" = CLOSED ] || t_fail "a trickling peer was not dropped"
t_pass "bytes of an unfinished line do not count as progress"

# 0.25 s apart: a loaded machine may stretch a gap by most of the timeout without a false drop.
[ "$(t_accountd_peer "$sock" steady 8 0.25)" = OK ] || t_fail "a peer sending a request every 0.25 s was dropped"
t_pass "each request restarts the idle timeout (8 requests 0.25 s apart, 2 s in all, over a 1 s timeout)"

out=$(t_accountd_peer "$sock" no-read 40000 3)
[[ $out == CLOSED* ]] || t_fail "a peer that never reads was not dropped: $out"
t_pass "a peer that never reads its answers is dropped (write timeout): $out"
kill -0 "$daemon" || t_fail "daemon died"
[ "$(t_accountd_peer "$sock" sign 3)" = OK ] || t_fail "daemon no longer serves"

printf 'privkey = file:%s\nidle-timeout = 1\n' "$T/p256.key" >"$T/idle.conf"
start=$(date +%s)
# stdin stays open (sleep holds the pipe) but sends nothing: the daemon must give up.
rc=0; timeout 8 "$ACCOUNTD" --stdio --config="$T/idle.conf" < <(sleep 10) > >(cat >"$T/stdio.out") 2>"$T/stdio.log" || rc=$?
[ "$rc" = 1 ] || t_fail "--stdio on an idle peer: exit status $rc (want 1 after the timeout, 124 = hung)"
# Well before stdin's end (10 s), with room for a slow start under ASan on a loaded machine.
[ $(( $(date +%s) - start )) -le 6 ] || t_fail "--stdio took too long to give up"
grep -q '1 OK' "$T/stdio.out" || t_fail "no greeting on stdout"
t_pass "idle-timeout from the config file; --stdio exits 1 on an idle peer"
t_done
