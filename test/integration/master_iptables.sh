#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `iptables = Yes` with stand-in iptables/ip6tables first in PATH (they log their arguments) and
# the state in $RUNTIME_DIRECTORY: a listen address [::ffff:127.0.0.1] (a dual-stack IPv6
# socket) opens its IPv4 side too, as lacme does; every rule inserted is removed; a SIGKILLed
# master's rules are removed by the next run before it inserts its own.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
t_master_up
mkdir -p "$T/bin"
for program in iptables ip6tables; do
    printf '#!/bin/sh\necho "%s $*" >>%s\n' "$program" "$T/iptables.log" >"$T/bin/$program"
    chmod 0755 "$T/bin/$program"
done
export PATH="$T/bin:$PATH" RUNTIME_DIRECTORY="$T/run"
t_master_hanging_run listen="[::ffff:127.0.0.1]:$HTTP01_PORT" extra_webserver="iptables = Yes"
v4="-p tcp -m tcp -m state -d 127.0.0.1/32 --dport $HTTP01_PORT --state NEW,ESTABLISHED -j ACCEPT"
v6="-p tcp -m tcp -m state -d ::ffff:127.0.0.1/128 --dport $HTTP01_PORT --state NEW,ESTABLISHED -j ACCEPT"
grep -qxF -- "iptables -w -I INPUT $v4" "$T/iptables.log" || t_fail "no IPv4 rule: $(cat "$T/iptables.log")"
grep -qxF -- "ip6tables -w -I INPUT $v6" "$T/iptables.log" || t_fail "no IPv6 rule: $(cat "$T/iptables.log")"
[ "$(grep -c ' -I ' "$T/iptables.log")" = 4 ] || t_fail "not 4 rules inserted: $(cat "$T/iptables.log")"
t_pass "a dual-stack [::ffff:127.0.0.1] listen address opens its IPv4 side too (4 rules)"

kill -KILL "$MASTER_PID"
wait "$MASTER_PID" 2>/dev/null || true
! grep -q ' -D ' "$T/iptables.log" || t_fail "a SIGKILLed master removed rules: $(cat "$T/iptables.log")"
[ -s "$T/run/iptables.rules" ] || t_fail "no state file after the kill"
t_wait_for "the killed run's children gone" sh -c "! ss -Hltn 'sport = :$HTTP01_PORT' | grep -q ."

sort "$T/iptables.log" | sed 's/ -I / -D /' >"$T/left-over"
: >"$T/iptables.log"
"$LACME" --config="$T/conf/lacme.conf" newOrder --config-certs="$T/conf/certs.conf" 2>"$T/run.log" ||
    t_fail "run after the kill: $(cat "$T/run.log")"
[ "$(head -n 4 "$T/iptables.log" | sort)" = "$(cat "$T/left-over")" ] ||
    t_fail "the next run did not first remove the 4 left-over rules: $(cat "$T/iptables.log")"
[ "$(tail -n +5 "$T/iptables.log" | grep -c ' -I ')" = 4 ] && [ "$(tail -n +5 "$T/iptables.log" | grep -c ' -D ')" = 4 ] ||
    t_fail "the next run's own rules not inserted and removed: $(cat "$T/iptables.log")"
[ ! -e "$T/run/iptables.rules" ] || t_fail "state file left after a complete run: $(cat "$T/run/iptables.rules")"
grep -q '^\[www\] issued' "$T/run.log" || t_fail "not issued through [::ffff:127.0.0.1]: $(cat "$T/run.log")"
t_pass "the next run removes the killed run's rules first, then inserts and removes its own, and issues"
t_done
