#!/usr/bin/env bash
# lacme-accountd short of file descriptors (ulimit -n): accept4 fails with EMFILE, and the daemon
# must stop watching the socket until a connection closes: no busy loop, one log line, and the
# peers kept waiting are served once others leave.
source "$(dirname "$0")/lib.sh"
t_require python3
peer() { python3 "$SRC/test/integration/accountd_peer.py" "$@"; }
mkdir -p "$T/run"; chmod 0700 "$T/run"
sock="$T/run/S.lacme"
t_keygen "$T/p256.key" p256

t_bg "$T/accountd.log" bash -c 'ulimit -n 32 && exec "$0" "$@"' "$ACCOUNTD" --privkey="file:$T/p256.key" --socket="$sock" --quiet
daemon=$T_LAST_PID
t_wait_for "socket" test -S "$sock"
out=$(peer "$sock" emfile 40 "$daemon")
[[ $out == OK* ]] || t_fail "$out"
lines=$(grep -c 'Too many open files' "$T/accountd.log" || true)
[ "$lines" -ge 1 ] && [ "$lines" -le 3 ] || t_fail "EMFILE logged $lines times: $(head -c 2000 "$T/accountd.log")"
t_pass "out of fds: $out served at first, no busy loop, $lines log line(s), the rest served after closes"
[ "$(peer "$sock" sign 3)" = OK ] || t_fail "daemon no longer serves"
t_pass "the daemon serves normally afterwards"
t_done
