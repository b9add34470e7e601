#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Children never outlive the master: with a client that hangs, SIGKILL the master while the
# webserver, the client and accountd run; within 2 s none of them is left, and the next run binds
# the same port and issues normally.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
t_master_up
t_master_hanging_run
kill -KILL "$MASTER_PID"
wait "$MASTER_PID" 2>/dev/null || true
for _ in $(seq 20); do
    left=""
    # A zombie is dead (whoever adopted it reaps it when it pleases).
    for pid in $MASTER_CHILDREN; do
        state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || continue
        [ "$state" = Z ] || left="$left $pid"
    done
    [ -z "$left" ] && break
    sleep 0.1
done
[ -z "$left" ] || t_fail "children still alive 2 s after the master's SIGKILL:$left ($(ps -o pid,stat,comm -p "${left# }" 2>&1))"
t_pass "client, webserver and accountd exit when the master is SIGKILLed"

"$LACME" --config="$T/conf/lacme.conf" newOrder --config-certs="$T/conf/certs.conf" 2>"$T/next.log" ||
    t_fail "next run: $(cat "$T/next.log")"
t_verify_chain "$T/conf/www.pem" www.example.org
t_pass "the next run binds the port again and issues"
t_done
