#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# dns-01 by RFC 2136 updates signed with TSIG, sent by our master to a BIND 9 (Debian's bind9)
# that is authoritative for example.org on a loopback port, with update-policy for the key;
# pebble resolves through that BIND. A wildcard + apex certificate is issued (zone found by SOA
# lookups at the server) and no _acme-challenge record is left; a wrong key fails the section
# with BIND's TSIG error and adds nothing; a key file others may read is refused before
# ordering; a propagation timeout fails the section with the records deleted from BIND; SIGTERM
# mid-order deletes them in the same run; after a SIGKILL the next run deletes the records through RFC 2136, the way its journal says, even when
# the section now says dns-hook.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
source "$(dirname "$0")/bind_lib.sh"
DEAD_DNS=$((PORT0 + 10))
t_bind_up $((PORT0 + 6))

PEBBLE_DNSSERVER="127.0.0.1:$BIND_PORT" t_master_up PEBBLE_AUTHZREUSE=0
t_master_file_account
install -m 0600 "$BIND_DIR/key.conf" "$T/conf/tsig.key"

UPDATE=("dns-update-server = 127.0.0.1:$BIND_PORT" "dns-tsig-key = $T/conf/tsig.key")
lacme_order() { "$LACME" --config="$T/conf/lacme.conf" newOrder --config-certs="$1" "${@:2}"; }
# 1. wildcard + apex through RFC 2136, the zone found by SOA lookups at the server.
t_rfc2136_section "$T/conf/wild.conf" wild "${UPDATE[@]}" "dns-propagation-servers = 127.0.0.1:$BIND_PORT"
lacme_order "$T/conf/wild.conf" 2>"$T/wild.log" || t_fail "dns-01 order failed: $(cat "$T/wild.log")"
t_verify_chain "$T/conf/wild.pem" example.org '\*.example.org'
[ "$(t_bind_adds)" -eq 2 ] || t_fail "expected BIND to log 2 TXT adds: $(grep -i update "$T/named.log")"
t_pass "wildcard + apex certificate issued through RFC 2136 updates to BIND (zone found by SOA lookup)"
t_bind_no_txt_left
[ ! -e "$T/conf/.wild.pem.lacme-dns" ] || t_fail "journal left behind: $(cat "$T/conf/.wild.pem.lacme-dns")"
t_pass "no _acme-challenge record left in BIND, no journal"

# 2. A wrong secret (BADSIG) and an unknown key (BADKEY): the section fails naming the server,
# the zone and BIND's answer; nothing is added.
sed 's/secret ".*"/secret "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="/' "$BIND_DIR/key.conf" >"$T/conf/wrong.key"
sed 's/lacme-key/other-key/' "$BIND_DIR/key.conf" >"$T/conf/unknown.key"
chmod 0600 "$T/conf/wrong.key" "$T/conf/unknown.key"
adds=$(t_bind_adds)
t_rfc2136_section "$T/conf/bad.conf" bad "dns-update-server = 127.0.0.1:$BIND_PORT" "dns-tsig-key = $T/conf/wrong.key" \
    "dns-zone = example.org"
t_expect_fail "a wrong TSIG secret fails the section" \
    "RFC 2136 update \(add _acme-challenge.example.org\) at 127.0.0.1:$BIND_PORT, zone example.org: rcode NOTAUTH \(TSIG BADSIG\)" \
    lacme_order "$T/conf/bad.conf"
t_rfc2136_section "$T/conf/bad.conf" bad "dns-update-server = 127.0.0.1:$BIND_PORT" "dns-tsig-key = $T/conf/unknown.key" \
    "dns-zone = example.org"
t_expect_fail "an unknown TSIG key fails the section" "zone example.org: rcode NOTAUTH \(TSIG BADKEY\)" \
    lacme_order "$T/conf/bad.conf"
[ "$(t_bind_adds)" -eq "$adds" ] || t_fail "BIND added a record with a bad key"
t_bind_no_txt_left
[ ! -e "$T/conf/.bad.pem.lacme-dns" ] || t_fail "journal left after a refused update"
t_pass "nothing left in the zone after refused updates"

# 3. A key file group or others may read: refused before ordering, and by lacme check.
install -m 0644 "$BIND_DIR/key.conf" "$T/conf/open.key"
t_rfc2136_section "$T/conf/open.conf" open "dns-update-server = 127.0.0.1:$BIND_PORT" "dns-tsig-key = $T/conf/open.key"
t_expect_fail "a key file others may read is refused" "dns-tsig-key $T/conf/open.key: group or others may access it" \
    lacme_order "$T/conf/open.conf"
t_expect_fail "lacme check refuses it too" "dns-tsig-key $T/conf/open.key: group or others may access it" \
    "$LACME" --config="$T/conf/lacme.conf" check --config-certs="$T/conf/open.conf"
[ "$(t_bind_adds)" -eq "$adds" ] && [ ! -e "$T/conf/open.pem" ] || t_fail "something was ordered with an open key file"
t_rfc2136_section "$T/conf/both.conf" both "${UPDATE[@]}" "dns-hook = /bin/true"
t_expect_fail "dns-hook and dns-update-server together are refused" "dns-hook and dns-update-server exclude each other" \
    "$LACME" --config="$T/conf/lacme.conf" check --config-certs="$T/conf/both.conf"

# 4. Propagation timeout (a propagation server that never answers): the section fails, and the
# records are deleted from BIND.
t_rfc2136_section "$T/conf/slow.conf" slow "${UPDATE[@]}" "dns-propagation-servers = 127.0.0.1:$DEAD_DNS" \
    "dns-propagation-timeout = 3"
adds=$(t_bind_adds)
t_expect_fail "propagation timeout fails the section" "not visible on every server within dns-propagation-timeout = 3 s" \
    lacme_order "$T/conf/slow.conf"
# The second authorization's record may come after the first one's timeout on a loaded machine
# (the section then fails before adding it): one add is enough to prove the deletion.
added=$(( $(t_bind_adds) - adds ))
[ "$added" -ge 1 ] && [ "$added" -le 2 ] || t_fail "$added records added before the timeout (want 1 or 2)"
t_bind_no_txt_left
t_pass "propagation timeout: records deleted from BIND"

# A run whose records never show up (a propagation server nobody answers on): the master is
# mid-order once BIND has both records.
stuck_run() {
    t_rfc2136_section "$T/conf/stuck.conf" stuck "${UPDATE[@]}" "dns-zone = example.org" \
        "dns-propagation-servers = 127.0.0.1:$DEAD_DNS"
    "$LACME" --config="$T/conf/lacme.conf" newOrder --config-certs="$T/conf/stuck.conf" 2>"$T/stuck.log" &
    MASTER_PID=$!
    t_kill_at_exit "$MASTER_PID"
    t_wait_for "both records in BIND" sh -c "[ \$(dig +short +tcp @127.0.0.1 -p $BIND_PORT TXT _acme-challenge.example.org | wc -l) -ge 2 ]"
}

# 5. SIGTERM mid-order: the same run deletes the records.
stuck_run
t_master_terminate 20
[ "$MASTER_RC" -ne 0 ] || t_fail "exit 0 after SIGTERM"
t_bind_no_txt_left
[ ! -e "$T/conf/.stuck.pem.lacme-dns" ] || t_fail "journal left after SIGTERM"
t_pass "SIGTERM mid-order: records deleted from BIND, journal gone"

# 6. SIGKILL mid-order: the journal says how to delete (server, key file, zone); the next run
# deletes through RFC 2136 even though the section now names a dns-hook (which fails its order).
stuck_run
t_wait_for "journal written" grep -q dns-update-server "$T/conf/.stuck.pem.lacme-dns"
kill -KILL "$MASTER_PID"
wait "$MASTER_PID" 2>/dev/null || true
grep -q "\"dns-tsig-key\":\"$T/conf/tsig.key\"" "$T/conf/.stuck.pem.lacme-dns" &&
    grep -q '"dns-zone":"example.org"' "$T/conf/.stuck.pem.lacme-dns" || t_fail "journal: $(cat "$T/conf/.stuck.pem.lacme-dns")"
[ "$(t_bind_txt | wc -l)" -eq 2 ] || t_fail "the kill removed the records (nothing to test)"
stale=$(grep -o '"value":"[^"]*"' "$T/conf/.stuck.pem.lacme-dns" | cut -d'"' -f4)
# A hook whose adds fail (its own failed add is then removed by it: remove succeeds).
# shellcheck disable=SC2016  # the hook's own script: its $@ and $1 expand when it runs
printf '#!/bin/sh\necho "$@" >>%s\n[ "$1" = remove ]\n' "$T/hook.log" >"$T/dns-hook"
chmod 0755 "$T/dns-hook"
t_rfc2136_section "$T/conf/stuck.conf" stuck "dns-hook = $T/dns-hook"
lacme_order "$T/conf/stuck.conf" 2>"$T/next.log" && t_fail "the hook's order succeeded"
grep -q 'removing the dns-01 records an interrupted run left' "$T/next.log" || t_fail "no stale removal: $(cat "$T/next.log")"
for value in $stale; do
    grep -q "^remove .* $value\$" "$T/hook.log" && t_fail "stale RFC 2136 record went to the hook: $(cat "$T/hook.log")"
done
t_bind_no_txt_left
t_pass "SIGKILL mid-order: the next run deleted the records through RFC 2136, as the journal said"
t_rfc2136_section "$T/conf/stuck.conf" stuck "${UPDATE[@]}" "dns-propagation-servers = 127.0.0.1:$BIND_PORT"
lacme_order "$T/conf/stuck.conf" 2>"$T/last.log" || t_fail "issuing after the kill: $(cat "$T/last.log")"
t_verify_chain "$T/conf/stuck.pem" example.org '\*.example.org'
t_bind_no_txt_left
[ ! -e "$T/conf/.stuck.pem.lacme-dns" ] || t_fail "journal left after the last run"
t_pass "then issued, nothing left"
t_done
