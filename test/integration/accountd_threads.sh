#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# What accountd's threads share, under concurrent load: one event loop per core serves 8
# connections of newOrders against one policy, so the order rate limit, its state file and the
# audit log's group commit are reached from every thread at once. A refusal closes its
# connection, so each connection signs until the limit refuses it. The limit holds exactly (no
# lost or doubled count), every answer has its audit record, and the daemon reports no race:
# scripts/run-tests also runs this test in a ThreadSanitizer build (LACME_SANITIZE_THREAD), whose
# reports land in the daemon's log.
source "$(dirname "$0")/lib.sh"
load="$BUILD/test/tools/accountd-load"
[ -x "$load" ] || t_fail "missing $load (build the project first)"
t_require jq
mkdir -p "$T/state"; chmod 0700 "$T/state"
limit=150 connections=8 each=40
printf '[policy]\nlabel = threads\nca = https://acme.test/\nidentifiers = *.example.org\nmax-orders-per-hour = %s\nstate-directory = %s\n' \
    "$limit" "$T/state" >"$T/policy"
t_accountd_daemon --policy="$T/policy" --audit-log="$T/audit.jsonl"
# Fails by design: every connection ends on its refusal.
out=$("$load" "$sock" "$connections" "$each" --received="$T/received" 2>&1) || true
kill -TERM "$daemon"; wait "$daemon" 2>/dev/null || true
! grep -q "ThreadSanitizer\|AddressSanitizer\|runtime error" "$T/accountd.log" ||
    t_fail "the daemon reported an error: $(head -c 6000 "$T/accountd.log")"
signed=$(wc -l <"$T/received")
[ "$signed" -eq "$limit" ] || t_fail "$signed of $((connections * each)) orders signed, the limit is $limit: $out"
t_pass "$connections connections x $each orders on every loop: exactly $limit signed ($out)"
signed_records=$(jq -s '[.[] | select(.outcome == "signed")] | length' "$T/audit.jsonl") ||
    t_fail "the audit log does not parse"
refused_records=$(jq -s '[.[] | select(.outcome == "refused")] | length' "$T/audit.jsonl")
[ "$signed_records" -eq "$limit" ] && [ "$refused_records" -eq "$connections" ] ||
    t_fail "audit log: $signed_records signed and $refused_records refused records, expected $limit and $connections"
t_pass "one audit record per answer: $limit signed, one refusal per connection"
t_done
