#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# lacme-accountd short of file descriptors (prlimit --nofile=32): accept4 fails with EMFILE, and
# the daemon must stop watching the socket until a connection closes: no busy loop, one log line,
# and the peers kept waiting are served once others leave.
source "$(dirname "$0")/lib.sh"
t_require python3; t_require prlimit
t_accountd_daemon --quiet
prlimit --nofile=32 --pid "$daemon"
out=$(t_accountd_peer "$sock" emfile 40 "$daemon")
[[ $out == OK* ]] || t_fail "$out"
lines=$(grep -c 'Too many open files' "$T/accountd.log" || true)
[ "$lines" -ge 1 ] && [ "$lines" -le 3 ] || t_fail "EMFILE logged $lines times: $(head -c 2000 "$T/accountd.log")"
t_pass "out of fds: $out served at first, no busy loop, $lines log line(s), the rest served after closes"
[ "$(t_accountd_peer "$sock" sign 3)" = OK ] || t_fail "daemon no longer serves"
t_pass "the daemon serves normally afterwards"
t_done
