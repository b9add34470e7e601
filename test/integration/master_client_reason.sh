#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Why a section failed reaches its summary line and --json: the client's reason (the CA's problem
# document), with our client (its last "Error: " line) and with lacme 0.8's client (its last
# stderr line), and each line the client writes on stderr is prefixed with its section.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
PEBBLE_CONFIG_EXTRA='"domainBlocklist": ["blocked.example.org"]' t_master_up PEBBLE_WFE_NONCEREJECT=0  # Perl's client does not retry badNonce
t_master_file_account
: >"$T/conf/certs.conf"
t_section "$T/conf/certs.conf" good p256 good.example.org
t_section "$T/conf/certs.conf" bad p256 www.blocked.example.org

for who in ours perl; do
    conf=$T/conf/lacme.conf
    if [ "$who" = perl ]; then
        sed "s|^command = $CLIENT|command = /usr/libexec/lacme/client|" "$conf" >"$T/conf/perl-client.conf"
        conf=$T/conf/perl-client.conf
    fi
    rm -f "$T/conf/good.pem"  # a renewal would pass --replaces=, which lacme 0.8's client refuses (another fix)
    rc=0
    "$LACME" --config="$conf" newOrder --force --json --config-certs="$T/conf/certs.conf" >"$T/$who.json" 2>"$T/$who.err" || rc=$?
    [ $rc = 1 ] || t_fail "$who: exit $rc, expected 1: $(cat "$T/$who.err")"
    summary=$(grep '^\[bad\] FAILED: ' "$T/$who.err") || t_fail "$who: no summary line: $(cat "$T/$who.err")"
    grep -qi 'rejectedIdentifier\|blocked' <<<"$summary" || t_fail "$who: the summary does not say why: $summary"
    python3 - "$T/$who.json" <<'PY' || t_fail "$who: --json does not say why: $(cat "$T/$who.json")"
import json, sys
bad = [s for s in json.load(open(sys.argv[1]))["sections"] if s["section"] == "bad"][0]
sys.exit(0 if bad["status"] == "failed" and ("rejectedIdentifier" in bad["error"] or "blocked" in bad["error"]) else 1)
PY
    grep -q '^\[good\] issued' "$T/$who.err" || t_fail "$who: the other section did not issue: $(cat "$T/$who.err")"
    grep -v '^\[\(good\|bad\)\] \|^Warning: ' "$T/$who.err" | grep -qi 'rejectedIdentifier\|blocked' &&
        t_fail "$who: a client line without its section: $(cat "$T/$who.err")"
    t_pass "$who client: the CA's refusal is in the summary and --json, the client's lines name the section"
done
t_done
