#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 19's first attack against pebble and the built lacme-accountd: two web hosts share an
# account; web1's signer policy allows only web1.example. web1 asks its signer to finalize the
# other host's ready order for victim.example with a CSR whose first extensionRequest attribute
# is empty and whose second names victim.example (Go's x509, as the CA parses it, merges them;
# a reader of the first sees only CN=web1.example). The signer must refuse; the victim's order
# stays ready and no certificate is issued for the victim's name. A control request (web1's own
# newOrder) is signed through the same signer, so the refusal is the CSR's, not the setup's.
# Then the review's other payloads, through the same signer towards pebble: refused.
source "$(dirname "$0")/lib.sh"
t_require python3
t_pebble_up
mkdir -p "$T/challenges" "$T/state"
t_bg "$T/http01.log" python3 "$SRC/test/integration/client_helper.py" http01 "$HTTP01_PORT" "$T/challenges"
cat >"$T/web1.policy" <<POLICY
[policy]
label = web1
ca = ${PEBBLE_URL%dir}
identifiers = web1.example ::/0
operations = order
state-directory = $T/state
POLICY
t_accountd_daemon --policy="$T/web1.policy" --audit-log="$T/audit.jsonl"
out=$(timeout 180 python3 "$SRC/test/integration/foreign_order_attack.py" \
    "$PEBBLE_URL" "$PEBBLE_CA" "$T/p256.key" "$sock" "$T/challenges") || t_fail "attack script failed: $out"
echo "$out"
grep -qx "CONTROL SIGNED" <<<"$out" || t_fail "web1's own newOrder was not signed: $out"
t_pass "the signer signs web1's own order on pebble"
grep -q "^ATTACK REFUSED NOSIGN" <<<"$out" || t_fail "the two-attribute CSR finalize of the victim's order was signed: $out"
grep -q "ISSUED FOR" <<<"$out" && t_fail "pebble issued a certificate for victim.example"
grep -qx "VICTIM ORDER ready" <<<"$out" || t_fail "the victim's order changed: $out"
t_pass "finalizing another host's ready order with a two-extensionRequest CSR is refused; the order stays ready"
cat "$T/audit.jsonl"; python3 -c "import json,sys; r=[json.loads(l) for l in open(sys.argv[1])]; sys.exit(0 if any(x[\"outcome\"]==\"refused\" for x in r) else 1)" "$T/audit.jsonl" || t_fail "the refused finalize is not in the audit log"
t_pass "the refusal is audited"
for attack in VALUE LOOKUP-UPDATE MAPPED-IPV4; do
    grep -q "^$attack REFUSED NOSIGN" <<<"$out" || t_fail "$attack: $(grep "^$attack " <<<"$out")"
done
t_pass "a second VALUE member, a look-up-shaped contact update and an IPv4-mapped address never reach pebble"
t_done
