#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 21: with our client, the master orders the http-01 sections through at most --jobs
# `client newOrders` processes fed from one queue, instead of one client process per section.
# 13 sections with --jobs=3: 12 issue and verify, [bad] (a name pebble refuses) fails alone with
# the CA's reason in its summary line and --json, [alt] gets the chain its own preferred-chain
# names while its neighbours get the default one; a wrapper around the client logs each start:
# one `capabilities`, at most 3 `newOrders`, no `newOrder`. Each client line on stderr names
# its section. Then the same sections with lacme 0.8's client (no newOrders): one newOrder each.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
PEBBLE_CONFIG_EXTRA='"domainBlocklist": ["blocked.example.org"]' t_master_up PEBBLE_ALTERNATE_ROOTS=1 \
    PEBBLE_WFE_NONCEREJECT=0  # the Perl client's run below does not retry badNonce
: >"$T/client-starts"
chmod 0666 "$T/client-starts"
# wrapper CLIENT: a [client] command that logs its COMMAND, then runs CLIENT.
wrapper() {
    # shellcheck disable=SC2016  # $1 is the wrapper's own argument
    printf '#!/bin/sh\necho "$1" >>%s\nexec %s "$@"\n' "$T/client-starts" "$1" >"$T/client-wrapper"
    chmod 0755 "$T/client-wrapper"
}
wrapper "$CLIENT"
t_master_file_account client="$T/client-wrapper"

c="$T/conf/certs.conf"
for i in 01 02 03 04 05 06 07 08 09 10 11; do t_section "$c" "s$i" p256 "s$i.example.org" "www.s$i.example.org"; done
t_section "$c" bad p256 www.blocked.example.org
t_section "$c" alt p256 alt.example.org
alt_root=$(curl -fs --cacert "$PEBBLE_CA" "$PEBBLE_MGMT/roots/1" | openssl x509 -noout -subject -nameopt multiline |
    sed -n 's/^ *commonName *= //p')
[ -n "$alt_root" ] || t_fail "pebble offers no alternate root"
curl -fs --cacert "$PEBBLE_CA" "$PEBBLE_MGMT/roots/1" >"$T/alt-bundle.pem"
curl -fs --cacert "$PEBBLE_CA" "$PEBBLE_MGMT/intermediates/1" >>"$T/alt-bundle.pem"
sed -i "/^\[alt\]/,\$ s|^CAfile = .*|CAfile = $T/alt-bundle.pem\npreferred-chain = $alt_root|" "$c"
top_issuer() {
    awk '/BEGIN CERT/{c=""} {c=c $0 "\n"} END{printf "%s", c}' "$1" |
        openssl x509 -noout -issuer -nameopt multiline | sed -n 's/^ *commonName *= //p'
}

rc=0
t_master newOrder --config-certs="$c" --json --jobs=3 >"$T/run.json" 2>"$T/run.log" || rc=$?
[ "$rc" -eq 1 ] || t_fail "exit $rc with [bad] failing, expected 1: $(cat "$T/run.log")"
for i in 01 02 03 04 05 06 07 08 09 10 11; do t_verify_chain "$T/conf/s$i.pem" "s$i.example.org" "www.s$i.example.org"; done
[ ! -e "$T/conf/bad.pem" ] || t_fail "[bad] installed a certificate"
t_pass "13 sections through --jobs=3: the 11 plain ones issued and verified, the refused one failed alone, exit 1"

[ "$(top_issuer "$T/conf/alt.pem")" = "$alt_root" ] || t_fail "[alt]: top issuer $(top_issuer "$T/conf/alt.pem"), expected $alt_root"
[ "$(top_issuer "$T/conf/s01.pem")" != "$alt_root" ] || t_fail "[s01] got [alt]'s preferred chain"
grep -q '^\[alt\] issued, expires ' "$T/run.log" || t_fail "[alt] not issued: $(cat "$T/run.log")"
t_pass "[alt]'s preferred-chain picked its alternate chain, its neighbours kept the default"

grep -q '^\[bad\] FAILED: .*\(rejectedIdentifier\|blocked\)' "$T/run.log" ||
    t_fail "[bad]'s summary does not say why: $(grep bad "$T/run.log")"
grep -q '^\[bad\] Error: ' "$T/run.log" || t_fail "[bad]'s client error line is not prefixed: $(cat "$T/run.log")"
grep -v '^\[[a-z0-9]*\] \|^Warning: \|^1[0-9] sections: ' "$T/run.log" | grep . &&
    t_fail "a line without its section: $(cat "$T/run.log")"
python3 - "$T/run.json" <<'PY' || t_fail "--json: $(cat "$T/run.json")"
import json, sys
d = {s["section"]: s for s in json.load(open(sys.argv[1]))["sections"]}
assert len(d) == 13, d
assert all(d[s]["status"] == "issued" for s in d if s != "bad"), d
assert d["bad"]["status"] == "failed", d["bad"]
assert "rejectedIdentifier" in d["bad"]["error"] or "blocked" in d["bad"]["error"], d["bad"]
PY
t_pass "[bad]'s reason is in its summary line and --json; every client line names its section"

starts() { grep -cx "$1" "$T/client-starts" || true; }
batch=$(starts newOrders)
[ "$batch" -ge 1 ] && [ "$batch" -le 3 ] || t_fail "$batch newOrders clients for --jobs=3: $(sort "$T/client-starts" | uniq -c)"
[ "$(starts newOrder)" -eq 0 ] || t_fail "single newOrder clients ran: $(sort "$T/client-starts" | uniq -c)"
[ "$(starts capabilities)" -eq 1 ] || t_fail "capabilities asked $(starts capabilities) times"
t_pass "13 sections cost $batch newOrders client processes (and one capabilities query)"

# lacme 0.8's client: no newOrders capability, one newOrder process per section as before.
wrapper /usr/libexec/lacme/client
: >"$T/client-starts"
rm -f "$T"/conf/s0[1-4].pem
rc=0
t_master newOrder --config-certs="$c" --jobs=2 s01 s02 s03 s04 >/dev/null 2>"$T/perl.log" || rc=$?
[ "$rc" -eq 0 ] || t_fail "lacme 0.8's client: exit $rc: $(cat "$T/perl.log")"
for i in 01 02 03 04; do t_verify_chain "$T/conf/s$i.pem" "s$i.example.org"; done
[ "$(starts newOrder)" -eq 4 ] && [ "$(starts newOrders)" -eq 0 ] ||
    t_fail "lacme 0.8's client: $(sort "$T/client-starts" | uniq -c)"
t_pass "lacme 0.8's client (no newOrders): one newOrder process per section, all issued"
t_done
