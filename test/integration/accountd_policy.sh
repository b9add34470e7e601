#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# lacme-accountd's signing policy and audit log (issue 12, accountd side), with crafted signing
# inputs over the socket and --stdio: each operation allowed or refused as the policy says, the
# refusal reaching the peer as one NOSIGN line, the newOrder rate limit shared by separate
# --stdio processes, every audit record complete, an unwritable audit log refusing, and bad
# policy files named by file:line. (Through a real sshd and pebble: the ssh_* tests.)
source "$(dirname "$0")/lib.sh"
t_require python3; t_require openssl
mkdir -p "$T/state"
t_keygen "$T/p256.key" p256
t_keygen "$T/other.key" p256
ca=https://ca.example/acme/
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

cat >"$T/web1.policy" <<EOF2
[policy]
label = web1
ca = $ca
identifiers = example.org *.example.org 192.0.2.0/24
operations = order
EOF2

# --check-policy: what it allows, or file:line.
out=$("$ACCOUNTD" --check-policy="$T/web1.policy")
grep -qx "identifiers: example.org \*.example.org 192.0.2.0/24" <<<"$out" &&
    grep -qx "operations: order (and always: get, challenge, lookup)" <<<"$out" &&
    grep -qx "label: web1" <<<"$out" || t_fail "--check-policy output: $out"
t_pass "--check-policy prints what the policy allows"
printf '[policy]\nlabel = x\nidentifiers = a.example 10.0.0.0/33\n' >"$T/bad1.policy"
t_expect_fail "bad CIDR named by file:line" "^lacme-accountd: Error: $T/bad1.policy:3: invalid CIDR prefix" \
    "$ACCOUNTD" --check-policy="$T/bad1.policy"
printf '[policy]\nlabel = x\noperations = order sign-anything\n' >"$T/bad2.policy"
t_expect_fail "unknown operation named by file:line" "bad2.policy:3: unknown operation 'sign-anything'" \
    "$ACCOUNTD" --check-policy="$T/bad2.policy"
printf '[policy]\nlabel = x\nmax-orders-per-hour = 3\n' >"$T/bad3.policy"
t_expect_fail "rate limit without state directory" "bad3.policy:3: max-orders-per-hour needs a state-directory" \
    "$ACCOUNTD" --check-policy="$T/bad3.policy"
printf '[policy]\nlabel = x\nwildcard = yes\n' >"$T/bad4.policy"
t_expect_fail "policy file given to the daemon is checked before the key" "bad4.policy:3: unknown key 'wildcard'" \
    "$ACCOUNTD" --stdio --privkey="file:$T/nope.key" --policy="$T/bad4.policy"
printf '[policy]\nlabel = x\nwildcards = *.a.example example.org\n' >"$T/bad5.policy"
t_expect_fail "a wildcards entry that is no wildcard name" "bad5.policy:3: invalid wildcard name 'example.org'" \
    "$ACCOUNTD" --check-policy="$T/bad5.policy"

# Issue 25: a wildcard identifier only by its exact `wildcards` entry, never by *.suffix.
csr() { openssl req -new -key "$T/other.key" -subj "/CN=$1" -addext "subjectAltName=$2" -outform DER | b64url; }
cat >"$T/wild.policy" <<EOF2
[policy]
label = wild
identifiers = example.org *.example.org
wildcards = *.example.org
EOF2
grep -qx "wildcards: \*.example.org" <<<"$("$ACCOUNTD" --check-policy="$T/wild.policy")" ||
    t_fail "--check-policy does not show the wildcards"
wild_ask() {  # wild_ask POLICY URL KIND PAYLOAD -> the answer line (CR stripped), or CLOSED
    local policy=$1 answer; shift
    answer=$(t_accountd_peer - line "$@" | "$ACCOUNTD" --stdio --quiet --privkey="file:$T/p256.key" \
        --policy="$policy" 2>>"$T/wild.log" | sed -n 3p | tr -d '\r' || true)  # exits 1 on a refusal
    echo "${answer:-CLOSED}"
}
wild_order() { printf '{"identifiers":[{"type":"dns","value":"example.org"},{"type":"dns","value":"%s"}]}' "$1"; }
[[ $(wild_ask "$T/wild.policy" https://ca/new-order kid "$(wild_order '*.example.org')") != NOSIGN* ]] ||
    t_fail "listed wildcard refused"
[[ $(wild_ask "$T/wild.policy" https://ca/finalize/1 kid \
    "{\"csr\":\"$(csr example.org 'DNS:example.org,DNS:*.example.org')\"}") != NOSIGN* ]] ||
    t_fail "finalize with the listed wildcard refused"
for name in '*.www.example.org' '*.EXAMPLE.org.' '*.*.example.org' '*example.org' 'x*.example.org'; do
    got=$(wild_ask "$T/wild.policy" https://ca/new-order kid "$(wild_order "$name")")
    [ "$got" = "NOSIGN identifier dns:$name not allowed by policy \"wild\"" ] || t_fail "$name -> $got"
done
got=$(wild_ask "$T/wild.policy" https://ca/finalize/1 kid \
    "{\"csr\":\"$(csr example.org 'DNS:example.org,DNS:*.www.example.org')\"}")
[ "$got" = 'NOSIGN identifier dns:*.www.example.org not allowed by policy "wild"' ] || t_fail "wildcard CSR -> $got"
got=$(wild_ask "$T/web1.policy" https://ca.example/acme/new-order kid "$(wild_order '*.example.org')")
[ "$got" = 'NOSIGN identifier dns:*.example.org not allowed by policy "web1"' ] || t_fail "*.suffix wildcard -> $got"
got=$(wild_ask "$T/wild.policy" https://ca/new-authz kid '{"identifier":{"type":"dns","value":"*.example.org"}}')
[ "$got" = 'NOSIGN newAuthz of wildcard dns:*.example.org refused' ] || t_fail "wildcard newAuthz -> $got"
t_pass "wildcards: the listed one signed (newOrder, finalize), look-alikes, *.suffix and newAuthz refused"

# Socket daemon with the policy and a JSON audit log.
t_accountd_daemon --policy="$T/web1.policy" --audit-log="$T/audit.jsonl"
cert() { openssl req -x509 -new -key "$T/other.key" -subj "/CN=$1" -addext "subjectAltName=$2" -days 1 -outform DER | b64url; }
ask() {
    local expected=$1; shift
    local got
    got=$(t_accountd_peer "$sock" ask "$@")
    [[ $got == "$expected" ]] || t_fail "$* -> '$got', expected '$expected'"
}
order='{"identifiers":[{"type":"dns","value":"example.org"},{"type":"dns","value":"www.example.org"},{"type":"ip","value":"192.0.2.8"}]}'
ask SIGNED "${ca}order/1" kid ""
ask SIGNED "${ca}chall/1" kid "{}"
ask SIGNED "${ca}new-acct" jwk '{"onlyReturnExisting":true}'
ask SIGNED "${ca}new-order" kid "$order"
ask SIGNED "${ca}finalize/1" kid "{\"csr\":\"$(csr example.org DNS:example.org,DNS:a.example.org)\"}"
t_pass "POST-as-GET, challenge, account lookup, newOrder and finalize inside the policy are signed"
ask 'NOSIGN identifier dns:evil.example not allowed by policy "web1"' "${ca}new-order" kid \
    '{"identifiers":[{"type":"dns","value":"example.org"},{"type":"dns","value":"evil.example"}]}'
ask 'NOSIGN identifier dns:evil.example not allowed by policy "web1"' "${ca}finalize/1" kid \
    "{\"csr\":\"$(csr example.org DNS:example.org,DNS:evil.example)\"}"
ask 'NOSIGN identifier ip:198.51.100.1 not allowed by policy "web1"' "${ca}new-order" kid \
    '{"identifiers":[{"type":"ip","value":"198.51.100.1"}]}'
ask 'NOSIGN operation revoke not allowed by policy "web1"' "${ca}revoke" kid \
    "{\"certificate\":\"$(cert other.example DNS:other.example)\"}"
ask 'NOSIGN operation deactivate not allowed by policy "web1"' "${ca}acct/1" kid '{"status":"deactivated"}'
ask 'NOSIGN operation account not allowed by policy "web1"' "${ca}acct/1" kid '{"contact":["mailto:x@evil.example"]}'
ask 'NOSIGN operation keychange not allowed by policy "web1"' "${ca}key-change" kid '{"protected":"a","payload":"b","signature":"c"}'
ask 'NOSIGN url https://evil.example/acme/order/1 is outside the ca allowed by policy "web1"' \
    https://evil.example/acme/order/1 kid ""
ask 'NOSIGN jwk-headed order request refused' "${ca}new-order" jwk "$order"
ask 'NOSIGN request not recognized (payload of no known shape)' "${ca}x" kid '{"sign":"anything"}'
t_pass "each request outside the policy gets one NOSIGN line naming the reason, then the close"
t_accountd_peer "$sock" sign 3 >/dev/null 2>&1 && t_fail "unknown-shape requests of the old peer were signed"
kill -0 "$daemon" || t_fail "daemon died"
t_pass "the daemon keeps serving after refusals"

# Every record complete; 5 signed, the rest refused with their reasons; no CSR in the log.
python3 - "$T/audit.jsonl" <<'PY' || t_fail "audit log content"
import json, re, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
fields = {"time", "label", "caller", "operation", "identifiers", "outcome"}
for l in lines:
    assert fields <= l.keys(), l
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", l["time"]), l
    assert l["label"] == "web1" and l["caller"] == "local", l
    assert isinstance(l["identifiers"], list) and all(isinstance(i, str) for i in l["identifiers"]), l
    assert (l["outcome"] == "refused") == bool(l.get("reason")), l
signed = [l for l in lines if l["outcome"] == "signed"]
assert [l["operation"] for l in signed] == ["get", "challenge", "lookup", "order", "order"], signed
assert signed[3]["identifiers"] == ["dns:example.org", "dns:www.example.org", "ip:192.0.2.8"], signed[3]
assert signed[4]["identifiers"] == ["dns:example.org", "dns:example.org", "dns:a.example.org"], signed[4]
refused = [l for l in lines if l["outcome"] == "refused"]
assert len(refused) == 11, refused
assert refused[1]["operation"] == "order" and "dns:evil.example" in refused[1]["identifiers"], refused[1]
assert [r["operation"] for r in refused[3:6]] == ["revoke", "deactivate", "account"], refused
assert "MII" not in open(sys.argv[1]).read()  # no DER in the log
PY
t_pass "audit log: one complete JSON record per signature and per refusal"

# --stdio, as sshd runs it: rate limit across separate processes, caller from SSH_CONNECTION.
cat >"$T/web2.policy" <<EOF2
[policy]
label = web2
identifiers = *.example.net
max-orders-per-hour = 2
state-directory = $T/state
EOF2
stdio_ask() {  # stdio_ask ARGS... -> the answer line (CR stripped), or CLOSED
    local answer
    answer=$(t_accountd_peer - line "$@" | SSH_CONNECTION="192.0.2.44 50022 127.0.0.1 22" \
        "$ACCOUNTD" --stdio --quiet --privkey="file:$T/p256.key" --policy="$T/web2.policy" \
        --audit-log="$T/audit2.jsonl" 2>>"$T/stdio.log" | sed -n 3p | tr -d '\r' || true)  # exits 1 on a refusal
    echo "${answer:-CLOSED}"
}
order2='{"identifiers":[{"type":"dns","value":"www.example.net"}]}'
[ "$(stdio_ask https://ca/new-order kid "$order2")" != "CLOSED" ] || t_fail "first order over stdio"
a1=$(stdio_ask https://ca/new-order kid "$order2"); a2=$(stdio_ask https://ca/new-order kid "$order2")
[[ $a1 != NOSIGN* ]] || t_fail "second order refused: $a1"
[ "$a2" = 'NOSIGN newOrder rate limit of policy "web2" reached (2 per hour)' ] || t_fail "third order: $a2"
[ "$(wc -l <"$T/state/web2.orders")" -eq 2 ] || t_fail "state file: $(cat "$T/state/web2.orders")"
[ -z "$(find "$T/state" -name '.*lacme-tmp*')" ] || t_fail "temporary files left in the state directory"
[[ $(stdio_ask https://ca/order/1 kid "") != NOSIGN* ]] || t_fail "POST-as-GET refused after the limit"
t_pass "newOrder rate limit counted across separate --stdio processes; other requests still signed"
python3 - "$T/audit2.jsonl" <<'PY' || t_fail "stdio audit records"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert [l["outcome"] for l in lines] == ["signed", "signed", "refused", "signed"], lines
assert all(l["caller"].startswith("192.0.2.44") and l["label"] == "web2" for l in lines), lines
assert "rate limit" in lines[2]["reason"], lines[2]
PY
t_pass "audit records of --stdio callers name the SSH client"

# Audit log that cannot be written: no signature leaves.
answer=$(t_accountd_peer - line https://ca/order/1 kid "" | "$ACCOUNTD" --stdio --quiet \
    --privkey="file:$T/p256.key" --audit-log=/dev/full 2>"$T/full.log" | sed -n 3p || true)  # exits 1 on a refusal
[ "$answer" = "NOSIGN audit log cannot be written" ] || t_fail "unwritable audit log answered '$answer'"
grep -q "can't write audit log /dev/full" "$T/full.log" || t_fail "audit failure not logged: $(cat "$T/full.log")"
t_pass "an unwritable audit log refuses the signature"

# Without a policy: lacme 0.8's behaviour, everything signed (and audited when asked).
answer=$(t_accountd_peer - line https://ca/acct/1 kid '{"status":"deactivated"}' | "$ACCOUNTD" --stdio --quiet \
    --privkey="file:$T/p256.key" --audit-log="$T/audit3.jsonl" | sed -n 3p | tr -d '\r')
[[ $answer =~ ^[A-Za-z0-9_-]+$ ]] || t_fail "no policy: deactivation not signed: $answer"
grep -q '"operation":"deactivate","outcome":"signed"' "$T/audit3.jsonl" || t_fail "no-policy audit: $(cat "$T/audit3.jsonl")"
t_pass "without a policy everything is signed, and still audited"
t_done
