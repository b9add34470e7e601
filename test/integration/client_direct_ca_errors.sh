#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Our client against a CA that misbehaves: unreachable, junk/HTML/huge answers, 5xx with
# Retry-After, an order that never gets ready; each ends as one readable line, within `timeout`.
# A CA slower than `timeout` to answer is waited for (`timeout` limits polling, as in lacme 0.8;
# each request's own bound is in test/unit/client/acme_session_test.cpp), then its answer judged.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/client_lib.sh"
client_accountd_key
PEBBLE_CA="$TEST_TLS_DIR/pebble.crt"
printf 'not really a CSR' >"$T/any.csr"  # the fake CAs never look at it

client_json "$T/down.json" server="https://127.0.0.1:$((PORT0 + 10))/dir" timeout=4
t_expect_fail "CA unreachable" "connect|refused" run "$T/down.json" "$T/accountd.conf" account 0
for mode in junk html huge slow; do
    port=$((PORT0 + 11))
    t_bg "$T/fake-$mode.log" python3 "$HELPER" fake-ca "$port" "$TEST_TLS_DIR/pebble.crt" "$TEST_TLS_DIR/pebble.key" "$mode"
    fake_pid=$T_LAST_PID
    t_wait_for "fake CA ($mode)" bash -c "exec 3<>/dev/tcp/127.0.0.1/$port"
    client_json "$T/$mode.json" server="https://127.0.0.1:$port/dir" SSL_CAfile="$PEBBLE_CA" timeout=3
    case $mode in
        junk) pattern="not a JSON object" ;;
        html) pattern="HTTP 502 \(text/html response\)" ;;
        huge) pattern="exceeds [0-9]+ bytes" ;;
        slow) pattern="the ACME directory has no 'newNonce'" ;;  # its {} after 5 s
    esac
    start=$(date +%s)
    t_expect_fail "CA answers $mode" "$pattern" run "$T/$mode.json" "$T/accountd.conf" account 0
    [ $(($(date +%s) - start)) -lt 15 ] || t_fail "$mode: the client took $(($(date +%s) - start)) s with timeout = 3"
    kill "$fake_pid"; wait "$fake_pid" 2>/dev/null || true
done

# 5xx with Retry-After and an HTML 500 are retried (bounded, honouring the delay), then the
# CA's final problem is reported.
port=$((PORT0 + 13))
t_bg "$T/fake-flaky.log" python3 "$HELPER" fake-ca "$port" "$TEST_TLS_DIR/pebble.crt" "$TEST_TLS_DIR/pebble.key" flaky
t_wait_for "flaky fake CA" bash -c "exec 3<>/dev/tcp/127.0.0.1/$port"
client_json "$T/flaky.json" server="https://127.0.0.1:$port/dir" SSL_CAfile="$PEBBLE_CA"
start=$(date +%s)
t_expect_fail "5xx retried, then the CA's problem in one line" "account lookup: HTTP 400 accountDoesNotExist: no account for this key" \
    run "$T/flaky.json" "$T/accountd.conf" account 0
elapsed=$(($(date +%s) - start))
[ "$(grep -c 'GET /dir' "$T/fake-flaky.log")" -eq 3 ] || t_fail "directory fetched $(grep -c 'GET /dir' "$T/fake-flaky.log") times, want 3"
[ "$(grep -c 'POST /acct' "$T/fake-flaky.log")" -eq 2 ] || t_fail "newAccount sent $(grep -c 'POST /acct' "$T/fake-flaky.log") times, want 2"
[ "$elapsed" -ge 2 ] || t_fail "Retry-After: 1 (twice) not honoured: done in $elapsed s"
t_pass "Retry-After honoured on 503, HTML 500 retried once ($elapsed s)"

# An order that never gets ready: polled after each Retry-After (no hot loop) until `timeout`.
port=$((PORT0 + 14))
t_bg "$T/fake-stuck.log" python3 "$HELPER" fake-ca "$port" "$TEST_TLS_DIR/pebble.crt" "$TEST_TLS_DIR/pebble.key" stuck
t_wait_for "stuck fake CA" bash -c "exec 3<>/dev/tcp/127.0.0.1/$port"
client_json "$T/stuck.json" server="https://127.0.0.1:$port/dir" SSL_CAfile="$PEBBLE_CA" timeout=4
start=$(date +%s)
t_expect_fail "an order that stays pending ends at the timeout" "[Tt]imeout exceeded.*stuck.example" \
    run "$T/stuck.json" "$T/accountd.conf" newOrder stuck.example <"$T/any.csr"
elapsed=$(($(date +%s) - start))
polls=$(grep -c 'POST /order/1' "$T/fake-stuck.log")
[ "$elapsed" -ge 3 ] && [ "$elapsed" -le 8 ] || t_fail "timeout = 4 ended after $elapsed s"
[ "$polls" -ge 2 ] && [ "$polls" -le 5 ] || t_fail "$polls polls in $elapsed s with Retry-After: 1"
t_pass "pending order: $polls polls honouring Retry-After, gave up after $elapsed s (timeout = 4)"

t_done
