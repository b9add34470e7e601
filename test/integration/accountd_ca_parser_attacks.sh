#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 19 against the built lacme-accountd: the review's payloads that the CA's Go parsers read
# otherwise than the policy did (a "VALUE" member, a look-up that updates contacts, an
# IPv4-mapped address) are refused, and identifiers with U+202E, U+0085, U+2028 reach the audit
# log as ASCII escapes that Python's str.splitlines() does not cut. (The two-attribute CSR: the
# unit tests and ca_parser_differential, which build CSRs no openssl command writes, and
# accountd_foreign_order against pebble.)
source "$(dirname "$0")/lib.sh"
t_require python3
ca=https://ca.example/acme/
cat >"$T/web1.policy" <<EOF2
[policy]
label = web1
ca = $ca
identifiers = web1.example ::/0
operations = order
EOF2
t_accountd_daemon --policy="$T/web1.policy" --audit-log="$T/audit.jsonl"
ask() {
    local expected=$1; shift
    local got
    got=$(t_accountd_peer "$sock" ask "$@")
    # shellcheck disable=SC2053  # $expected is a glob: some answers end in a name we do not spell out
    [[ $got == $expected ]] || t_fail "$* -> '$got', expected '$expected'"
}
ask SIGNED "${ca}new-order" kid '{"identifiers":[{"type":"dns","value":"web1.example"}]}'
ambiguous='NOSIGN request not recognized (payload is not a JSON object (or has a member name a CA could read as another))'
ask "$ambiguous" "${ca}new-order" kid \
    '{"identifiers":[{"type":"dns","value":"web1.example","VALUE":"victim.example"}]}'
ask "$ambiguous" "${ca}new-authz" kid \
    '{"identifier":{"type":"dns","value":"web1.example","\u0056alue":"victim.example"}}'
t_pass "identifier objects with a second value member under another case or an escape are refused"
ask SIGNED "${ca}new-acct" jwk '{"onlyReturnExisting":true}'
ask 'NOSIGN operation account not allowed by policy "web1"' "${ca}acct/1" kid \
    '{"onlyReturnExisting":true,"contact":["mailto:attacker@victim.example"]}'
ask 'NOSIGN operation account not allowed by policy "web1"' "${ca}new-acct" jwk \
    '{"onlyReturnExisting":true,"contact":["mailto:attacker@victim.example"]}'
t_pass "a look-up-shaped contact update is an account operation"
ask SIGNED "${ca}new-order" kid '{"identifiers":[{"type":"ip","value":"2001:db8::1"}]}'
ask 'NOSIGN identifier ip:::ffff:10.1.2.3 not allowed by policy "web1"' "${ca}new-order" kid \
    '{"identifiers":[{"type":"ip","value":"::ffff:10.1.2.3"}]}'
ask 'NOSIGN identifier ip:::10.1.2.3 not allowed by policy "web1"' "${ca}new-authz" kid \
    '{"identifier":{"type":"ip","value":"::10.1.2.3"}}'
t_pass "IPv4-mapped and IPv4-compatible addresses are refused under an IPv6 policy"
ask 'NOSIGN identifier dns:*' "${ca}new-order" kid \
    '{"identifiers":[{"type":"dns","value":"a\u202eelpmaxe.web1.example\u0085\u2028\u001c.x"}]}'
kill -0 "$daemon" || t_fail "daemon died"
python3 - "$T/audit.jsonl" <<'PY' || t_fail "audit log: $(cat "$T/audit.jsonl")"
import json, sys
raw = open(sys.argv[1], "rb").read()
assert all(0x20 <= b < 0x7f or b == 0x0a for b in raw), raw
text = raw.decode()
records = [json.loads(l) for l in text.splitlines()]
assert len(records) == text.count("\n") == 10, records
assert records[-1]["identifiers"] == ["dns:a\u202eelpmaxe.web1.example\u0085\u2028\u001c.x"], records[-1]
assert records[-1]["outcome"] == "refused", records[-1]
PY
t_pass "non-ASCII identifiers are escaped: one record per line for splitlines(), nothing but ASCII"
t_done
