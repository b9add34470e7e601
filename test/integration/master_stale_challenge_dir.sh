#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A SIGKILLed master cannot remove its fresh challenge directory; the next run does (the dead
# run's flock on it is gone), but never the directory of a run that is still alive.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
t_master_up
challenge_dirs() { find "$T/run" -mindepth 1 -maxdepth 1 -name 'acme-challenge.*' 2>/dev/null | sort; }

t_master_hanging_run
kill -KILL "$MASTER_PID"
wait "$MASTER_PID" 2>/dev/null || true
stale=$(challenge_dirs)
[ -n "$stale" ] || t_fail "the SIGKILLed run left no challenge directory in $T/run"
echo planted-by-client >"$stale/token"

# The killed run's children may take a moment to go; the next run waits for nothing.
t_wait_for "the killed run's webserver gone" sh -c "! ss -ltn | grep -q ':$HTTP01_PORT '"
"$LACME" --config="$T/conf/hang.conf" newOrder --config-certs="$T/conf/certs.conf" 2>"$T/live.log" &
LIVE_PID=$!
t_wait_for "second run's client started" sh -c "[ \$(ps -o pid= --ppid $LIVE_PID | wc -l) -ge 3 ]"
live=$(challenge_dirs)
[ -n "$live" ] && [ "$live" != "$stale" ] || t_fail "challenge directories after the next run started: '$live' (stale was $stale)"
[ ! -e "$stale" ] || t_fail "the stale challenge directory $stale survived the next run"
t_pass "the next run removed the SIGKILLed run's challenge directory"

# A third run while the second is alive: it fails (the port is taken) but leaves the live
# run's directory alone.
"$LACME" --config="$T/conf/lacme.conf" newOrder --config-certs="$T/conf/certs.conf" >/dev/null 2>"$T/third.log" || true
[ -d "$live" ] || t_fail "a run removed the live run's challenge directory $live"
kill -0 "$LIVE_PID" || t_fail "the live run ended early: $(cat "$T/live.log")"
t_pass "a live run's challenge directory is left alone"
kill -TERM "$LIVE_PID"
wait "$LIVE_PID" 2>/dev/null || true
[ -z "$(challenge_dirs)" ] || t_fail "left after SIGTERM: $(challenge_dirs)"
t_pass "the live run removed its own directory when stopped"
t_done
