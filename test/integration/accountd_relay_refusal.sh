#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `lacme-accountd --relay=NAME` (a web host's forced command) fails visibly when its relay goes
# nowhere: a listener the daemon does not have (its NOSIGN line on stdout, exit 1, one line on
# stderr), a relay from another uid (closed without a greeting), no daemon at all; a relay that
# is greeted exits 0. The daemon drops a peer that sends no relay header, or half of one, after
# its 10 s bound (the "within 10 seconds" of the man page), serving other relays meanwhile.
source "$(dirname "$0")/lib.sh"
t_require setpriv
S="$T/signer"
t_relay_signer "$S" "$S/p256.key"
relay() {  # NAME [ARG...]: the forced command, stdin closed; stdout to $T/out, stderr to $T/err
    local name=$1; shift
    rc=0; timeout 60 "$ACCOUNTD" --quiet --relay="$name" --config="$S/lacme-accountd.conf" "$@" </dev/null >"$T/out" 2>"$T/err" || rc=$?
}
one_line() {  # FILE PATTERN: FILE is exactly one line, matching PATTERN (grep -E)
    [ "$(wc -l <"$1")" = 1 ] && grep -qE "$2" "$1" || t_fail "$1 is not one line matching '$2': $(cat "$1")"
}

relay web1
[ "$rc" = 1 ] || t_fail "no daemon: exit status $rc"
one_line "$T/err" "^lacme-accountd: Error: can't connect to relay socket $S/run/relay.sock \(is the lacme-accountd daemon running\?\): No such file or directory$"
[ ! -s "$T/out" ] || t_fail "no daemon: stdout $(cat "$T/out")"
t_pass "a relay with no daemon to reach exits 1 with one line on stderr"

t_bg "$T/daemon.out" "$ACCOUNTD" --config="$S/lacme-accountd.conf"
daemon=$T_LAST_PID
t_wait_for "the relay socket" test -S "$S/run/relay.sock"

relay web1
[ "$rc" = 0 ] || t_fail "a greeted relay: exit status $rc, $(cat "$T/err")"
grep -q '^1 OK ' "$T/out" || t_fail "a greeted relay: stdout $(cat "$T/out")"
[ ! -s "$T/err" ] || t_fail "a greeted relay: stderr $(cat "$T/err")"
t_pass "a relay the daemon greets passes the greeting on and exits 0"

relay nosuch
[ "$rc" = 1 ] || t_fail "--relay=nosuch: exit status $rc"
[ "$(cat "$T/out")" = "NOSIGN no listener nosuch" ] || t_fail "--relay=nosuch: stdout $(cat "$T/out")"
one_line "$T/err" "^lacme-accountd: Error: relay refused by the daemon on $S/run/relay.sock: no listener nosuch$"
t_pass "a relay refused by the daemon (no such listener): its NOSIGN line on stdout, exit 1, one line on stderr"

# Another uid (the directories opened so that it can connect at all): the daemon closes it unread.
chmod 0711 "$T" "$S" "$S/run"; chmod 0666 "$S/run/relay.sock"; chmod 0644 "$S/lacme-accountd.conf"
rc=0; (cd / && timeout 60 setpriv --reuid=65534 --regid=65534 --clear-groups \
    "$ACCOUNTD" --relay=web1 --relay-socket="$S/run/relay.sock" </dev/null >"$T/out" 2>"$T/err") || rc=$?
chmod 0700 "$T" "$S" "$S/run"; chmod 0600 "$S/run/relay.sock"
[ "$rc" = 1 ] || t_fail "a relay from uid 65534: exit status $rc, $(cat "$T/err")"
[ ! -s "$T/out" ] || t_fail "a relay from uid 65534: stdout $(cat "$T/out")"
one_line "$T/err" "^lacme-accountd: Error: relay refused by the daemon on $S/run/relay.sock: closed without a greeting \(its log says why\)$"
grep -qF "Refused a relay connection from uid 65534" "$S/accountd.log" || t_fail "no log line for uid 65534"
t_pass "a relay the daemon closes unread (another uid): exit 1, one line on stderr"

# Two peers that never finish a header: dropped after the bound with a NOSIGN line, while a
# relay that does send one is greeted at once (before either is dropped).
/usr/bin/python3 - "$S/run/relay.sock" "$ACCOUNTD" "$S/lacme-accountd.conf" >"$T/slow.out" 2>&1 <<'PY' || t_fail "slow peers: $(cat "$T/slow.out")"
import socket, subprocess, sys, time
path, accountd, conf = sys.argv[1:]
start = time.monotonic()
peers = {}
for name, sent in (("silent", b""), ("half", b"lacme-relay 1 web")):
    s = socket.socket(socket.AF_UNIX)
    s.connect(path)
    s.sendall(sent)
    peers[name] = s
relay = subprocess.run([accountd, "--quiet", "--relay=web1", "--config=" + conf], stdin=subprocess.DEVNULL,
                       capture_output=True, timeout=60)
assert relay.returncode == 0 and relay.stdout.startswith(b"1 OK "), relay
for name, s in peers.items():
    s.setblocking(False)
    try:
        data = s.recv(100)
        sys.exit(f"{name}: dropped before the relay was served ({data!r}, {time.monotonic() - start:.1f} s)")
    except BlockingIOError:
        pass  # still waiting for its header, as it should
for name, s in peers.items():
    s.setblocking(True)
    s.settimeout(60)
    data = b""
    while chunk := s.recv(4096):
        data += chunk
    waited = time.monotonic() - start
    assert data == b"NOSIGN no relay header in time\n", (name, data)
    assert waited >= 9, f"{name} dropped after {waited:.1f} s, before the 10 s bound"
    print(f"{name}: dropped after {waited:.1f} s")
PY
[ "$(grep -cF "Refused relayed connection: no relay header in time" "$S/accountd.log")" = 2 ] ||
    t_fail "the drops are not logged: $(cat "$S/accountd.log")"
kill -0 "$daemon" || t_fail "the daemon died"
relay web1
[ "$rc" = 0 ] || t_fail "a relay after the drops: exit status $rc, $(cat "$T/err")"
t_pass "peers sending no header or half of one are dropped after 10 s ($(tr '\n' ' ' <"$T/slow.out")), another relay served meanwhile"
t_done
