#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 23 item 8: a `listen` address another process holds (an overlapping lacme run, a web
# server on port 80) fails the run with a one-line reason that names the address and says what
# may hold it, on the terminal and in --json; once the port is free, the same run issues.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
t_require python3
t_master_up
t_master_file_account
c="$T/conf/certs.conf"
t_section "$c" www p256 www.example.org

# The occupant: killed at exit by lib.sh's trap, whatever happens.
t_bg "$T/occupant.log" python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1); print("listening", flush=True); time.sleep(600)' "$HTTP01_PORT"
occupant=$T_LAST_PID
t_wait_for "the occupant listening" grep -q listening "$T/occupant.log"

rc=0
"$LACME" --config="$T/conf/lacme.conf" newOrder --config-certs="$c" 2>"$T/in-use.log" || rc=$?
[ "$rc" -eq 1 ] || t_fail "port in use: exit $rc, expected 1: $(cat "$T/in-use.log")"
hint="couldn't bind to 127.0.0.1:$HTTP01_PORT: address in use \(another lacme run, or a web server on that address\?\)"
grep -qE "^\[www\] FAILED: .*$hint" "$T/in-use.log" || t_fail "port in use: no hint in: $(cat "$T/in-use.log")"
[ ! -e "$T/conf/www.pem" ] || t_fail "port in use: a certificate was installed"
t_pass "a listen address in use: the section fails with the address and the hint"

rc=0
"$LACME" --config="$T/conf/lacme.conf" newOrder --config-certs="$c" --json >"$T/in-use.json" 2>"$T/in-use-json.log" || rc=$?
[ "$rc" -eq 1 ] || t_fail "port in use, --json: exit $rc, expected 1"
python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))["sections"][0]
assert s["status"] == "failed" and "another lacme run" in s["error"], s' "$T/in-use.json" ||
    t_fail "port in use, --json: $(cat "$T/in-use.json")"
t_pass "a listen address in use: --json carries the hint as the section's reason"

kill "$occupant"
wait "$occupant" 2>/dev/null || true
"$LACME" --config="$T/conf/lacme.conf" newOrder --config-certs="$c" 2>"$T/free.log" ||
    t_fail "port free again: $(cat "$T/free.log")"
t_verify_chain "$T/conf/www.pem" www.example.org
t_pass "the port free again: the same run issues"
t_done
