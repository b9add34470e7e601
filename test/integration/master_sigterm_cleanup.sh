#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# SIGTERM to our master while a client hangs: it stops the client, the webserver and accountd,
# removes the challenge directory and the client's config file, and exits 1, promptly.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
t_master_up
t_master_hanging_run
t_master_terminate 10
[ "$MASTER_RC" -eq 1 ] || t_fail "exit $MASTER_RC after SIGTERM, expected 1: $(cat "$T/hang.log")"
t_pass "SIGTERM: the master exits 1 promptly"
for pid in $MASTER_CHILDREN; do
    state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || continue
    [ "$state" = Z ] || t_fail "child $pid survived the master's SIGTERM"
done
[ -z "$(ls -A "$TMPDIR")" ] || t_fail "left in TMPDIR: $(ls -A "$TMPDIR")"
grep -q '^\[www\] FAILED' "$T/hang.log" || t_fail "no FAILED line: $(cat "$T/hang.log")"
t_pass "children stopped, challenge dir and config file removed, the section reported failed"
t_done
