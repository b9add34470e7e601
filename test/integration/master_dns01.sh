#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# dns-01 through our master, our client and a dns-hook that drives pebble-challtestsrv's
# management API (pebble resolves through challtestsrv): a wildcard + apex certificate is
# issued and every record is gone afterwards; a wildcard with http-01 is refused before any
# order; SIGTERM mid-order removes the records; after SIGKILL the next run removes them; a
# propagation timeout fails the section with its records removed; a run of dns-01 sections only
# starts no webserver; a hook past dns-hook-timeout is killed and its record removed.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
t_master_up PEBBLE_AUTHZREUSE=0  # every order has both authorizations to validate
t_master_file_account
DNS_PORT=$((PORT0 + 2)) CHALL_MGMT=$((PORT0 + 3)) DEAD_DNS=$((PORT0 + 10))
DNS_TXT=(python3 "$SRC/test/integration/dns_txt.py" "$DNS_PORT")

cat >"$T/dns-hook" <<HOOK
#!/bin/sh
# dns-hook add|remove NAME VALUE, logged; challtestsrv wants fully qualified names.
echo "\$1 \$2 \$3" >>"$T/hook.log"
case \$1 in
    add) exec curl -fsS -X POST -d "{\"host\":\"\$2.\",\"value\":\"\$3\"}" http://127.0.0.1:$CHALL_MGMT/set-txt ;;
    remove) exec curl -fsS -X POST -d "{\"host\":\"\$2.\"}" http://127.0.0.1:$CHALL_MGMT/clear-txt ;;
esac
exit 2
HOOK
chmod 0755 "$T/dns-hook"
: >"$T/hook.log"

# dns_section FILE NAME PROPAGATION_SERVERS [KEY=VALUE...]: a dns-01 section for example.org and *.example.org.
dns_section() {
    local file=$1 name=$2 servers=$3; shift 3
    [ -f "$T/conf/$name.key" ] || t_keygen "$T/conf/$name.key" p256
    {
        printf '[%s]\ncertificate-key = %s\ncertificate-chain = %s\n' "$name" "$T/conf/$name.key" "$T/conf/$name.pem"
        printf 'subject = /CN=example.org\nsubjectAltName = DNS:*.example.org\nCAfile = %s\n' "$PEBBLE_ROOTS"
        printf 'challenge = dns-01\ndns-hook = %s\ndns-propagation-servers = %s\n' "$T/dns-hook" "$servers"
        local kv
        for kv in "$@"; do printf '%s\n' "$kv"; done
    } >"$file"
}
lacme_order() { "$LACME" --config="$T/conf/lacme.conf" newOrder --config-certs="$1" "${@:2}"; }
no_txt_left() {
    local values
    values=$("${DNS_TXT[@]}" _acme-challenge.example.org) || t_fail "challtestsrv's DNS did not answer"
    [ -z "$values" ] || t_fail "TXT records left in DNS: $values"
}
# adds_removed: every value the hook added was removed afterwards.
adds_removed() {
    local verb name value
    # shellcheck disable=SC2094  # the loop and the check only read the log
    while read -r verb name value; do
        [ "$verb" = add ] || continue
        grep -qx "remove $name $value" "$T/hook.log" || t_fail "$name $value added, never removed: $(cat "$T/hook.log")"
    done <"$T/hook.log"
}

# 1. wildcard + apex, issued beside an http-01 section in the same run; every record removed.
dns_section "$T/conf/wild.conf" wild "127.0.0.1:$DNS_PORT"
t_section "$T/conf/wild.conf" www p256 www.example.net
lacme_order "$T/conf/wild.conf" 2>"$T/wild.log" || t_fail "dns-01 order failed: $(cat "$T/wild.log")"
t_verify_chain "$T/conf/wild.pem" example.org '\*.example.org'
t_verify_chain "$T/conf/www.pem" www.example.net
[ "$(grep -c '^add _acme-challenge.example.org ' "$T/hook.log")" -eq 2 ] || t_fail "expected 2 adds: $(cat "$T/hook.log")"
grep -q 'example.net' "$T/hook.log" && t_fail "the http-01 section went through the hook"
t_pass "wildcard + apex certificate issued through dns-01 and the hook, an http-01 one beside it"
adds_removed
no_txt_left
[ ! -e "$T/conf/.wild.pem.lacme-dns" ] || t_fail "journal left behind: $(cat "$T/conf/.wild.pem.lacme-dns")"
t_pass "every record removed afterwards (hook, challtestsrv's DNS, no journal)"

# 1b. A run whose sections are all dns-01 starts no webserver: it issues while another process
# holds the configured listen address (an http-01 run would fail to bind it).
t_bg "$T/occupant.log" python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1); print("listening", flush=True); time.sleep(600)' "$HTTP01_PORT"
occupant=$T_LAST_PID
t_wait_for "the occupant listening" grep -q listening "$T/occupant.log"
dns_section "$T/conf/only.conf" only "127.0.0.1:$DNS_PORT"
lacme_order "$T/conf/only.conf" --debug 2>"$T/only.log" || t_fail "dns-01-only run failed: $(cat "$T/only.log")"
t_verify_chain "$T/conf/only.pem" example.org '\*.example.org'
grep -q 'No http-01 section in this run: no webserver' "$T/only.log" || t_fail "no 'no webserver' line: $(cat "$T/only.log")"
grep -q 'Forked ACME webserver' "$T/only.log" && t_fail "a webserver was started: $(cat "$T/only.log")"
kill "$occupant"
t_pass "dns-01-only run: no webserver, issued with the listen port held by another process"
# lacme check agrees: without listen or challenge-directory, dns-01 sections are fine, http-01 not.
sed 's/^listen = .*/listen =/' "$T/conf/lacme.conf" >"$T/conf/nolisten.conf"
"$LACME" --config="$T/conf/nolisten.conf" check --config-certs="$T/conf/only.conf" >"$T/check.log" 2>&1 ||
    t_fail "check of dns-01 sections without listen: $(cat "$T/check.log")"
t_expect_fail "check without listen still refuses an http-01 section" "'challenge-directory' option is required" \
    "$LACME" --config="$T/conf/nolisten.conf" check --config-certs="$T/conf/wild.conf"

# 2. a wildcard with http-01: a clear error, in check and before any order.
cat >"$T/conf/http.conf" <<CONF
[httpwild]
certificate-key = $T/conf/wild.key
certificate-chain = $T/conf/httpwild.pem
subject = /CN=example.org
subjectAltName = DNS:*.example.org
CAfile = $PEBBLE_ROOTS
CONF
: >"$T/hook.log"
t_expect_fail "wildcard with http-01 refused" "wildcard name '\*.example.org' needs challenge = dns-01" \
    lacme_order "$T/conf/http.conf"
t_expect_fail "lacme check names it too" "wildcard name '\*.example.org' needs challenge = dns-01" \
    "$LACME" --config="$T/conf/lacme.conf" check --config-certs="$T/conf/http.conf"
[ ! -s "$T/hook.log" ] && [ ! -e "$T/conf/httpwild.pem" ] || t_fail "something was ordered"

# A run whose records never show up (a server nobody answers on): the master is mid-order once
# the hook added both.
stuck_run() {
    dns_section "$T/conf/stuck.conf" stuck "127.0.0.1:$DEAD_DNS" "$@"
    : >"$T/hook.log"
    "$LACME" --config="$T/conf/lacme.conf" newOrder --config-certs="$T/conf/stuck.conf" 2>"$T/stuck.log" &
    MASTER_PID=$!
    # An order on a loaded 2-core machine can take longer than t_wait_for's 10 s.
    timeout 60 sh -c "until [ \$(grep -c '^add ' '$T/hook.log') -ge 2 ]; do sleep 0.2; done" ||
        t_fail "both records not added within 60 s: $(cat "$T/stuck.log")"
    [ -n "$("${DNS_TXT[@]}" _acme-challenge.example.org)" ] || t_fail "no TXT record while the order waits"
}

# 3. SIGTERM mid-order: the records are removed by the same run.
stuck_run
t_master_terminate 20
[ "$MASTER_RC" -ne 0 ] || t_fail "exit 0 after SIGTERM"
adds_removed
no_txt_left
[ ! -e "$T/conf/.stuck.pem.lacme-dns" ] || t_fail "journal left after SIGTERM"
t_pass "SIGTERM mid-order: records removed, journal gone"

# 4. SIGKILL mid-order: the journal lists the records, and the next run removes them first.
stuck_run
t_wait_for "journal written" test -s "$T/conf/.stuck.pem.lacme-dns"
kill -KILL "$MASTER_PID"
wait "$MASTER_PID" 2>/dev/null || true
[ -n "$("${DNS_TXT[@]}" _acme-challenge.example.org)" ] || t_fail "the kill removed the records (nothing to test)"
grep -q '^remove ' "$T/hook.log" && t_fail "removed before the next run"
cp "$T/hook.log" "$T/killed-hook.log"
dns_section "$T/conf/stuck.conf" stuck "127.0.0.1:$DNS_PORT"
lacme_order "$T/conf/stuck.conf" 2>"$T/next.log" || t_fail "next run failed: $(cat "$T/next.log")"
grep -q 'removing the dns-01 records an interrupted run left' "$T/next.log" || t_fail "no stale removal: $(cat "$T/next.log")"
while read -r verb name value; do
    grep -qx "remove $name $value" "$T/hook.log" || t_fail "stale $value never removed: $(cat "$T/hook.log")"
done <"$T/killed-hook.log"
adds_removed
no_txt_left
[ ! -e "$T/conf/.stuck.pem.lacme-dns" ] || t_fail "journal left after the next run"
t_verify_chain "$T/conf/stuck.pem" example.org '\*.example.org'
t_pass "SIGKILL mid-order: the next run removed the records, then issued"

# 5. Propagation timeout: the section fails, its records removed.
dns_section "$T/conf/slow.conf" slow "127.0.0.1:$DEAD_DNS" "dns-propagation-timeout = 3"
: >"$T/hook.log"
t_expect_fail "propagation timeout fails the section" "not visible on every server within dns-propagation-timeout = 3 s" \
    lacme_order "$T/conf/slow.conf"
adds_removed
no_txt_left
t_pass "propagation timeout: records removed"

# 6. dns-hook-timeout: an add that hangs (after publishing) is killed with its process group,
# the section fails naming the setting, and the record it published is removed.
cat >"$T/slow-hook" <<HOOK
#!/bin/sh
[ "\$1" = add ] || exec "$T/dns-hook" "\$@"
"$T/dns-hook" "\$@" || exit 1
sleep 60 &
echo \$! >"$T/slow-sleep.pid"
wait
HOOK
chmod 0755 "$T/slow-hook"
dns_section "$T/conf/hang.conf" hang "127.0.0.1:$DNS_PORT" "dns-hook-timeout = 0"
t_expect_fail "lacme check knows dns-hook-timeout's bounds" \
    "dns-hook-timeout: expected a number of seconds from 1 to 3600, got '0'" \
    "$LACME" --config="$T/conf/lacme.conf" check --config-certs="$T/conf/hang.conf"
dns_section "$T/conf/hang.conf" hang "127.0.0.1:$DNS_PORT" "dns-hook-timeout = 3"
sed -i "s|^dns-hook = .*|dns-hook = $T/slow-hook|" "$T/conf/hang.conf"
: >"$T/hook.log"
t_expect_fail "a hung hook fails the section" \
    "dns-hook add _acme-challenge.example.org timed out after dns-hook-timeout = 3 s" lacme_order "$T/conf/hang.conf"
grep -q '^add ' "$T/hook.log" || t_fail "the slow hook never added"
adds_removed
no_txt_left
[ ! -e "$T/conf/.hang.pem.lacme-dns" ] || t_fail "journal left after the hook timeout"
# Gone, or a zombie its new parent has not reaped yet (the group got SIGTERM, then SIGKILL).
t_wait_for "the hook's child killed with its group" sh -c \
    "[ ! -e /proc/$(cat "$T/slow-sleep.pid") ] || grep -q '^State:.*Z' /proc/$(cat "$T/slow-sleep.pid")/status"
[ ! -e "$T/conf/hang.pem" ] || t_fail "a certificate was installed"
t_pass "dns-hook-timeout: the hung hook killed with its group, its record removed"
t_done
