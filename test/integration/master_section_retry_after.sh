#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 21: in one run of many sections, a section the CA turns away does not slow the others.
# Behind an HTTPS fault proxy in front of pebble (fault_proxy.py --tls), the newOrder of [slow]
# is answered 429 rateLimited with Retry-After: 10 once, that of [late] 503 with Retry-After:
# 3600 (beyond what the run waits) every time. Four ordinary sections are issued without waiting
# for [slow]: their certificates are downloaded before [slow]'s newOrder comes back, which is
# at least 10 s after its 429; then [slow] is issued. [late] fails at its first answer, its
# line saying when the CA wants it back, and the run ends (exit 1). A section installed
# earlier is kept. --json stays one document; the counts line says 5 issued, 1 kept, 1 failed.
# The proxy's event log gives the order of events; no assertion is on how fast anything is.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
t_master_up
proxy_port=$((PORT0 + 10))
t_bg "$T/proxy.log" python3 "$SRC/test/integration/fault_proxy.py" "$proxy_port" "$PORT0" \
    --tls "$TEST_TLS_DIR/pebble.crt" "$TEST_TLS_DIR/pebble.key" --events "$T/events" \
    --new-order-fault slow.example.org:429:10 --new-order-fault late.example.org:503:3600:100
t_wait_for "fault proxy" grep -q ready "$T/proxy.log"
PEBBLE_URL="https://127.0.0.1:$proxy_port/dir"  # the master's [client] server: through the proxy
curl -fs --cacert "$PEBBLE_CA" "$PEBBLE_URL" | grep -q "127.0.0.1:$proxy_port/" ||
    t_fail "pebble's directory behind the proxy does not point back through it"
t_master_file_account

c="$T/conf/certs.conf"
for s in a1 a2 a3 a4 slow late kept; do t_section "$c" "$s" p256 "$s.example.org"; done
t_master newOrder --config-certs="$c" kept 2>"$T/first.log" >/dev/null || t_fail "first run: $(cat "$T/first.log")"
: >"$T/events"

rc=0
t_master newOrder --config-certs="$c" --json --jobs=8 >"$T/run.json" 2>"$T/run.log" || rc=$?
[ "$rc" -eq 1 ] || t_fail "exit $rc with [late] failing, expected 1: $(cat "$T/run.log")"
for s in a1 a2 a3 a4 slow; do t_verify_chain "$T/conf/$s.pem" "$s.example.org"; done
[ ! -e "$T/conf/late.pem" ] || t_fail "[late] installed a certificate"
t_pass "the five ordinary and rate-limited sections issued, [late] failed alone, exit 1"

# at KIND NAME STATUS: the time of the first matching event (STATUS: for neworder events only).
at() { awk -v k="$1" -v n="$2.example.org" -v s="${3:-}" '$2 == k && $3 == n && (s == "" || $4 == s) {print $1; exit}' "$T/events"; }
refused=$(at neworder slow 429)
retried=$(at neworder slow 201)
[ -n "$refused" ] && [ -n "$retried" ] || t_fail "[slow]: no 429 then 201 newOrder: $(cat "$T/events")"
awk -v a="$refused" -v b="$retried" 'BEGIN {exit !(b - a >= 10)}' ||
    t_fail "[slow] came back $(awk -v a="$refused" -v b="$retried" 'BEGIN {print b - a}') s after Retry-After: 10"
t_pass "[slow]'s Retry-After: 10 on newOrder honoured, then issued"

for s in a1 a2 a3 a4; do
    issued=$(at certificate "$s")
    [ -n "$issued" ] || t_fail "[$s]: no certificate download seen: $(cat "$T/events")"
    awk -v a="$issued" -v b="$retried" 'BEGIN {exit !(a < b)}' ||
        t_fail "[$s]'s certificate came after [slow]'s wait ended: $(cat "$T/events")"
done
t_pass "the other sections were issued while [slow] waited"

[ "$(grep -c " late.example.org " "$T/events")" -eq 1 ] ||
    t_fail "[late] asked more than once (or never): $(cat "$T/events")"
grep -q '^\[late\] FAILED: .*newOrder: HTTP 503 .*rateLimited.*; the CA asks to retry after 3600 s' "$T/run.log" ||
    t_fail "[late]'s line does not say what the CA asked: $(grep late "$T/run.log")"
t_pass "[late]'s Retry-After: 3600 is not waited for: it fails at once, saying so"

python3 - "$T/run.json" <<'PY' || t_fail "--json: $(cat "$T/run.json")"
import json, sys
text = open(sys.argv[1]).read()
doc = json.loads(text)  # exactly one document: anything after it is an error
assert text.count("\n") == 1, "not one line"
status = {s["section"]: s["status"] for s in doc["sections"]}
assert status == {"a1": "issued", "a2": "issued", "a3": "issued", "a4": "issued", "slow": "issued",
                  "late": "failed", "kept": "skipped"}, status
assert "retry after 3600 s" in next(s["error"] for s in doc["sections"] if s["section"] == "late")
PY
grep -qx '7 sections: 5 issued, 1 kept, 1 failed' "$T/run.log" || t_fail "no counts line: $(cat "$T/run.log")"
t_pass "--json is one document for the seven sections; the counts line says 5 issued, 1 kept, 1 failed"
t_done
