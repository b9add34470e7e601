#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Our master, whole native stack: newOrder issues and installs a 2-name certificate through our
# client (as _lacme-client), webserver (as _lacme-www) and accountd (file key); a second run
# skips it (min-days), --force renews, --json reports; the challenge dir is gone afterwards.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
t_master_up
t_master_file_account
t_section "$T/conf/certs.conf" www p256 www.example.org example.org

t_master newOrder --config-certs="$T/conf/certs.conf" >"$T/order.out" 2>"$T/order.log" || t_fail "newOrder: $(cat "$T/order.log")"
t_verify_chain "$T/conf/www.pem" www.example.org example.org
grep -qE '^\[www\] issued, expires [0-9]{4}-[0-9]{2}-[0-9]{2}, installed .*/www.pem' "$T/order.log" ||
    t_fail "no summary line: $(cat "$T/order.log")"
t_pass "newOrder issues and installs a 2-name certificate, summary line printed"

[ -z "$(ls -A "$TMPDIR")" ] || t_fail "temporary files left in TMPDIR: $(ls -A "$TMPDIR")"
t_pass "challenge directory and client config file removed"

before=$(sha256sum <"$T/conf/www.pem")
pebble_posts=$(grep -c "POST" "$T/pebble.log")
t_master newOrder --config-certs="$T/conf/certs.conf" --json >"$T/skip.json" 2>"$T/skip.log" || t_fail "skip run: $(cat "$T/skip.log")"
[ "$(sha256sum <"$T/conf/www.pem")" = "$before" ] || t_fail "certificate replaced although not due"
grep -q '"status":"skipped"' "$T/skip.json" || t_fail "--json lacks skipped: $(cat "$T/skip.json")"
[ "$(grep -c "POST" "$T/pebble.log")" = "$pebble_posts" ] || t_fail "a skip run contacted the CA"
grep -q '^\[www\] skipped' "$T/skip.log" || t_fail "no skipped line: $(cat "$T/skip.log")"
t_pass "second run skips (min-days), exit 0, CA not contacted, --json says skipped"

t_master newOrder --config-certs="$T/conf/certs.conf" --force --json >"$T/force.json" 2>"$T/force.log" || t_fail "--force: $(cat "$T/force.log")"
[ "$(sha256sum <"$T/conf/www.pem")" != "$before" ] || t_fail "--force did not renew"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); s=d["sections"][0]; assert s["status"]=="issued" and s["paths"], d' "$T/force.json" ||
    t_fail "--json after --force: $(cat "$T/force.json")"
t_pass "--force renews; --json reports issued with paths"

rc=0
t_master newOrder --config-certs="$T/conf/certs.conf" nosuch www >/dev/null 2>"$T/nosuch.log" || rc=$?
[ "$rc" -eq 1 ] && grep -q "Warning: No such section nosuch, skipping" "$T/nosuch.log" ||
    t_fail "unknown section: exit $rc: $(cat "$T/nosuch.log")"
grep -q "\[www\] skipped" "$T/nosuch.log" || t_fail "the known section was not processed: $(cat "$T/nosuch.log")"
t_pass "unknown section name: warned (lacme 0.8's words), the others processed, exit 1 (issue 23 item 12)"
t_done
