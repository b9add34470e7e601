#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A CA asking for an absurd wait (Retry-After: 10000000000 seconds, or a date in year 9999) at
# each step an order waits — polling while the challenge is validated, finalize's orderNotReady,
# polling while the certificate is issued, the certificate download's 202 — must not outlast the
# `timeout` setting: the client gives up with a timeout error and removes its challenge files.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/client_lib.sh"
client_order_ca_setup
in_www_with_timeout() { (cd "$T/www" && timeout 30 "$@" <"$T/wait.csr"); }

port=$PORT0
for value in 10000000000 "Fri, 31 Dec 9999 23:59:59 GMT"; do
    for step in pending finalize processing download; do
        RETRY_AT=$step RETRY_AFTER=$value fake_ca "$port" order
        client_json "$T/wait.json" server="https://127.0.0.1:$port/dir" SSL_CAfile="$TEST_TLS_DIR/pebble.crt" timeout=3
        start=$(date +%s)
        # `timeout 30` only keeps a hanging client from hanging the test.
        t_expect_fail "Retry-After: $value at $step ends at the timeout" "[Tt]imeout exceeded" \
            in_www_with_timeout python3 "$HELPER" run --accountd "$ACCOUNTD --quiet --config=$T/accountd.conf" \
            --config "$T/wait.json" -- "$CLIENT" newOrder wait.example
        elapsed=$(($(date +%s) - start))
        [ "$elapsed" -le 8 ] || t_fail "$step: gave up after $elapsed s with timeout = 3"
        [ -z "$(ls -A "$T/www")" ] || t_fail "$step: challenge files left behind: $(ls -A "$T/www")"
        kill "$T_LAST_PID"; wait "$T_LAST_PID" 2>/dev/null || true
        port=$((port + 1))
    done
done
t_done
