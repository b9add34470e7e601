#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# What accountd's threads share, under concurrent load: one event loop per core serves 8
# connections of newOrders against one policy, so the order rate limit, its state file and the
# audit log's group commit are reached from every thread at once. The limit holds exactly (no
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
out=$("$load" "$sock" "$connections" "$each" --received="$T/received" 2>&1) || t_fail "load: $out"
kill -TERM "$daemon"; wait "$daemon" 2>/dev/null || true
! grep -q "ThreadSanitizer\|AddressSanitizer\|runtime error" "$T/accountd.log" ||
    t_fail "the daemon reported an error: $(head -c 6000 "$T/accountd.log")"
signed=$(wc -l <"$T/received")
[ "$signed" -eq "$limit" ] || t_fail "$signed of $((connections * each)) orders signed, the limit is $limit: $out"
t_pass "$connections connections x $each orders on every loop: exactly $limit signed ($out)"
records=$(jq -s 'length' "$T/audit.jsonl") || t_fail "the audit log does not parse"
signed_records=$(jq -s '[.[] | select(.outcome == "signed")] | length' "$T/audit.jsonl")
[ "$records" -eq $((connections * each)) ] && [ "$signed_records" -eq "$limit" ] ||
    t_fail "audit log: $records records ($signed_records signed) for $((connections * each)) requests"
t_pass "one audit record per request, $limit of them signed"
t_done
