#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 23 item 5: the master bounds each wait for lacme-accountd ([client] accountd-timeout, 2 s
# here). A frozen daemon (SIGSTOP): every section fails within a few seconds with "lacme-accountd
# did not answer in 2 s" in its summary line, the link is reopened once, and the sections queued
# behind are not started on it. A link that stops answering in the middle of a section (requests
# swallowed, as by a silently dropped SSH connection) or goes away: that section fails with the
# reason, and the others are issued over one new link.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
t_master_up
t_keygen "$T/account.key" p256
printf 'privkey = file:%s\n' "$T/account.key" >"$T/accountd.conf"
t_master_conf "$T/conf" accountd="$ACCOUNTD" accountd_config="$T/accountd.conf"
sed -i '/^\[client\]/a accountd-timeout = 2' "$T/conf/lacme.conf"
"$LACME" --config="$T/conf/lacme.conf" account --register --tos-agreed >/dev/null 2>"$T/register.log" ||
    t_fail "register: $(cat "$T/register.log")"
c="$T/conf/certs.conf"
t_section "$c" a p256 a.example.org
t_section "$c" b p256 b.example.org
t_section "$c" c p256 c.example.org
no_answer='lacme-accountd did not answer in 2 s'

# A frozen daemon behind the socket.
mkdir -p "$T/run"
chmod 0700 "$T/run"
sock="$T/run/S.lacme"
t_bg "$T/accountd.log" "$ACCOUNTD" --config="$T/accountd.conf" --socket="$sock"
daemon=$T_LAST_PID
t_wait_for "accountd socket" test -S "$sock"
sed '/^\[accountd\]/,$d' "$T/conf/lacme.conf" >"$T/conf/socket.conf"
kill -STOP "$daemon"
t_on_exit "kill -CONT $daemon"
start=$(date +%s)
rc=0
timeout 60 "$LACME" --config="$T/conf/socket.conf" --socket="$sock" --debug newOrder --config-certs="$c" --jobs=1 \
    --json >"$T/frozen.json" 2>"$T/frozen.log" || rc=$?
elapsed=$(($(date +%s) - start))
[ "$rc" -eq 1 ] || t_fail "frozen accountd: exit $rc, expected 1: $(tail -n 5 "$T/frozen.log")"
[ "$elapsed" -le 15 ] || t_fail "frozen accountd: the run took $elapsed s"
for s in a b c; do
    grep -qF "[$s] FAILED: couldn't issue X.509 certificate: $no_answer" "$T/frozen.log" ||
        t_fail "frozen accountd: no '$no_answer' in $s's summary: $(grep -F "[$s]" "$T/frozen.log")"
done
python3 - "$T/frozen.json" "$no_answer" <<'PY' || t_fail "--json: $(cat "$T/frozen.json")"
import json, sys
sections = json.load(open(sys.argv[1]))["sections"]
assert len(sections) == 3 and all(s["status"] == "failed" and sys.argv[2] in s["error"] for s in sections), sections
PY
t_pass "a frozen accountd: every section fails in $elapsed s, its summary and --json say it did not answer"
[ "$(grep -c 'starting the client' "$T/frozen.log")" -eq 1 ] ||
    t_fail "clients started on a dead link: $(grep 'starting the client' "$T/frozen.log")"
[ "$(grep -c 'accountd: lacme-accountd did not answer in 2 s' "$T/frozen.log")" -eq 2 ] ||
    t_fail "expected the first link and one new link to time out: $(grep 'accountd:' "$T/frozen.log")"
t_pass "the link is opened again once; the sections queued behind a dead link are not started"
kill -CONT "$daemon"

# A spawned accountd whose link stops answering, or goes away, after 3 requests: an accountd
# behind a filter that then swallows its input or ends. Only the first link does that.
# (accountd gets pipes of its own: given the link's socket as stdout, it would read it too.)
cat >"$T/stall.py" <<'PY'
import os, subprocess, sys, threading
mode, after, marker, argv = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
first = not os.path.exists(marker)
with open(marker, "a") as f:
    f.write("started\n")
if not first:
    os.execvp(argv[0], argv)
accountd = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
def answers():
    while chunk := os.read(accountd.stdout.fileno(), 65536):
        os.write(1, chunk)
threading.Thread(target=answers, daemon=True).start()
for n, line in enumerate(sys.stdin.buffer):
    if n < after:
        accountd.stdin.write(line)
        accountd.stdin.flush()
    elif mode == "close":
        accountd.kill()
        os._exit(0)
PY
# stalled MODE REASON: sections a, b, c one at a time, a's fourth request unanswered.
# A 10 s timeout here: python and an ASan accountd may take more than 2 s to greet on a loaded
# machine, and a greeting that times out reopens the link before any request (seen: exit 0).
stalled() {
    local mode=$1 reason=$2 rc=0
    rm -f "$T/marker" "$T"/conf/*.pem
    sed -e "s|^command = $ACCOUNTD|command = python3 $T/stall.py $mode 3 $T/marker $ACCOUNTD|" \
        -e 's/^accountd-timeout = 2$/accountd-timeout = 10/' "$T/conf/lacme.conf" >"$T/conf/$mode.conf"
    timeout 120 "$LACME" --config="$T/conf/$mode.conf" newOrder --config-certs="$c" --jobs=1 --force \
        2>"$T/$mode.log" || rc=$?
    [ "$rc" -eq 1 ] || t_fail "$mode: exit $rc, expected 1: $(cat "$T/$mode.log")"
    grep -qF "[a] FAILED: couldn't issue X.509 certificate: $reason" "$T/$mode.log" ||
        t_fail "$mode: a's summary does not say '$reason': $(cat "$T/$mode.log")"
    [ ! -e "$T/conf/a.pem" ] || t_fail "$mode: a installed a certificate"
    t_verify_chain "$T/conf/b.pem" b.example.org
    t_verify_chain "$T/conf/c.pem" c.example.org
    [ "$(wc -l <"$T/marker")" -eq 2 ] || t_fail "$mode: accountd started $(wc -l <"$T/marker") times, expected 2"
}
stalled stall 'lacme-accountd did not answer in 10 s'
t_pass "a link that stops answering: that section fails saying so, the others are issued over one new link"
stalled close 'lacme-accountd went away (closed the connection)'
t_pass "a link that goes away: that section fails saying so, the others are issued over one new link"

# The setting is checked.
sed -i 's/^accountd-timeout = 2$/accountd-timeout = 0/' "$T/conf/lacme.conf"
t_expect_fail "accountd-timeout 0 refused" "invalid accountd-timeout '0' in section \[client\]" \
    "$LACME" --config="$T/conf/lacme.conf" newOrder --config-certs="$c"
t_done
