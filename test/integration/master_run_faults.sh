#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 23, what cron must be able to trust: a second run waits for the first and then says who
# holds the configuration (item 4); SIGTERM during notify stops the notify with everything it
# started and the run exits 1 promptly (items 2, 6); a master killed during notify has the notify
# run by the next run, exactly once (item 3); a rotated certificate-key renews, saying why
# (item 10); a user without XDG_RUNTIME_DIR runs commands that never use the socket (item 14).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
t_master_up
t_master_file_account
t_section "$T/conf/certs.conf" www p256 www.example.org
# Each notify appends a line; while $T/hold exists it also starts a background sleep (its pid in
# $T/notify.pid) and waits.
cat >"$T/notify" <<EOF
#!/bin/sh
echo ran >>"$T/notified"
[ -e "$T/hold" ] || exit 0
sleep 300 &
echo \$! >"$T/notify.pid"
wait
EOF
chmod 0755 "$T/notify"
echo "notify = $T/notify" >>"$T/conf/certs.conf"
new_order() { t_master newOrder --config-certs="$T/conf/certs.conf" "$@"; }
# Issuance takes longer than t_wait_for's 10 s on a loaded machine.
notify_started() {
    for _ in $(seq 600); do [ -s "$T/notify.pid" ] && return 0; sleep 0.1; done
    t_fail "the notify did not start: $(cat "$T"/*.log)"
}
notified() { [ -e "$T/notified" ] && wc -l <"$T/notified" || echo 0; }

touch "$T/hold"
"$LACME" --config="$T/conf/lacme.conf" newOrder --config-certs="$T/conf/certs.conf" 2>"$T/first.log" &
first=$!
t_kill_at_exit "$first"
notify_started
rc=0
new_order 2>"$T/second.log" || rc=$?
[ "$rc" -eq 1 ] && grep -q "another lacme run (pid $first) holds $T/conf/lacme.conf" "$T/second.log" ||
    t_fail "second run during the first: exit $rc: $(cat "$T/second.log")"
t_pass "a second run waits, then exits 1 naming the run (pid $first) that holds the configuration"

kill -TERM "$first"
rc=0
timeout 10 tail --pid="$first" -f /dev/null || t_fail "the run still runs 10 s after SIGTERM during notify"
wait "$first" || rc=$?
[ "$rc" -eq 1 ] || t_fail "SIGTERM during notify: exit $rc: $(cat "$T/first.log")"
# Killed, at most a zombie not yet reaped by init.
alive() { [ -e "/proc/$1/stat" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }
# Signalled before the run exited, but its death may lag on a loaded machine: up to 10 s.
for _ in $(seq 100); do alive "$(cat "$T/notify.pid")" || break; sleep 0.1; done
! alive "$(cat "$T/notify.pid")" || t_fail "the notify's background process survived: $(cat "$T/first.log")"
t_pass "SIGTERM during notify stops it with its process group, exit 1"

rm -f "$T/notify.pid" "$T/notified"
"$LACME" --config="$T/conf/lacme.conf" newOrder --config-certs="$T/conf/certs.conf" --force 2>"$T/killed.log" &
killed=$!
t_kill_at_exit "$killed"
notify_started
kill -KILL "$killed"
wait "$killed" 2>/dev/null || true
rm -f "$T/hold"
new_order 2>"$T/next.log" || t_fail "run after the killed one: $(cat "$T/next.log")"
[ "$(notified)" -eq 2 ] && grep -q "without running its notify: running it now" "$T/next.log" ||
    t_fail "the killed run's notify did not run on the next run ($(notified) runs): $(cat "$T/next.log")"
new_order 2>"$T/after.log" || t_fail "third run: $(cat "$T/after.log")"
[ "$(notified)" -eq 2 ] || t_fail "the pending notify ran again ($(notified) runs): $(cat "$T/after.log")"
t_pass "a notify pending from a killed run runs on the next run, exactly once"

before=$(openssl x509 -in "$T/conf/www.pem" -noout -serial)
t_keygen "$T/conf/www.key" p256
new_order 2>"$T/rotated.log" || t_fail "run after key rotation: $(cat "$T/rotated.log")"
[ "$(openssl x509 -in "$T/conf/www.pem" -noout -serial)" != "$before" ] || t_fail "not renewed after key rotation"
[ "$(openssl x509 -in "$T/conf/www.pem" -noout -pubkey)" = "$(openssl pkey -in "$T/conf/www.key" -pubout)" ] ||
    t_fail "the renewed certificate is not for the new key"
grep -q "\[www\] renewing: the certificate does not match certificate-key" "$T/rotated.log" ||
    t_fail "no reason given for the renewal: $(cat "$T/rotated.log")"
t_pass "a rotated certificate-key renews now, with the new key, saying why"

u=$T/unprivileged
mkdir "$u" && chmod 0755 "$u"
printf '[client]\n[accountd]\n' >"$u/lacme.conf"
: >"$u/certs.conf"
chmod 0644 "$u/lacme.conf" "$u/certs.conf"
env -u XDG_RUNTIME_DIR setpriv --reuid=65534 --regid=65534 --clear-groups \
    "$LACME" --config="$u/lacme.conf" newOrder --config-certs="$u/certs.conf" 2>"$T/unprivileged.log" ||
    t_fail "a user without XDG_RUNTIME_DIR: $(cat "$T/unprivileged.log")"
t_pass "a user without XDG_RUNTIME_DIR runs newOrder (the unused socket is not expanded)"
t_done
