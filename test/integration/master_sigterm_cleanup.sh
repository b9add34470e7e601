#!/usr/bin/env bash
# SIGTERM to our master while a client hangs: it stops the client, the webserver and accountd,
# removes the challenge directory and the client's config file, and exits 1, promptly.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
t_master_up
t_master_file_account
t_section "$T/conf/certs.conf" www p256 www.example.org
printf '#!/bin/sh\nexec sleep 60\n' >"$T/hanging-client"
chmod 0755 "$T/hanging-client"
sed "s|^command = $CLIENT|command = $T/hanging-client|" "$T/conf/lacme.conf" >"$T/conf/hang.conf"

"$LACME" --config="$T/conf/hang.conf" newOrder --config-certs="$T/conf/certs.conf" 2>"$T/hang.log" &
master=$!
t_wait_for "client, webserver and accountd started" sh -c "[ \$(ps -o pid= --ppid $master | wc -l) -ge 3 ]"
kids=$(ps -o pid= --ppid "$master" | tr -d ' ')
kill -TERM "$master"
rc=0
timeout 10 tail --pid="$master" -f /dev/null || t_fail "master still running 10 s after SIGTERM"
wait "$master" || rc=$?
[ "$rc" -eq 1 ] || t_fail "exit $rc after SIGTERM, expected 1: $(cat "$T/hang.log")"
t_pass "SIGTERM: the master exits 1 promptly"
for pid in $kids; do
    state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || continue
    [ "$state" = Z ] || t_fail "child $pid survived the master's SIGTERM"
done
[ -z "$(ls -A "$TMPDIR")" ] || t_fail "left in TMPDIR: $(ls -A "$TMPDIR")"
grep -q '^\[www\] FAILED' "$T/hang.log" || t_fail "no FAILED line: $(cat "$T/hang.log")"
t_pass "children stopped, challenge dir and config file removed, the section reported failed"
t_done
