#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A peer cannot forge lines in lacme-accountd's log: the header and payload it sends are logged
# escaped, so an embedded "\n[9] SIGNED ..." or a terminal escape stays inside its own line.
source "$(dirname "$0")/lib.sh"
t_require python3
t_accountd_daemon

# One valid request whose payload carries the forgery (signed), then one whose header does
# (raw control bytes in a JSON string: refused).
hex=$(python3 - <<'PY'
import base64, json
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=")
forged = b"\n[9] SIGNED header=base64url({}) payload=base64url({})\x1b[2J\x1b]0;owned\x07\r"
header = json.dumps({"alg": "ES256", "nonce": "n", "url": "u", "kid": "k"}).encode()
bad_header = b'{"alg":"ES256","nonce":"' + forged + b'","url":"u","kid":"k"}'
print((b64(header) + b"." + b64(forged) + b"\r\n" + b64(bad_header) + b"." + b64(b"{}") + b"\r\n").hex())
PY
)
out=$(t_accountd_peer "$sock" send-raw "$hex")
[[ $out == CLOSED* ]] || t_fail "the refused request did not close the connection: $out"
kill -TERM "$daemon"; wait "$daemon" || true

log="$T/accountd.log"
# Starting, Accepted, SIGNED, NOSIGN, Connection terminated, Shutting down: nothing else.
[ "$(wc -l <"$log")" = 6 ] || t_fail "expected 6 log lines, got $(wc -l <"$log"): $(cat -A "$log")"
[ "$(grep -c '^\[[0-9]*\] SIGNED ' "$log")" = 1 ] || t_fail "forged SIGNED line: $(cat -A "$log")"
! grep -q '^\[9\]' "$log" || t_fail "a line starts with the forged prefix"
! LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$log" || t_fail "raw control bytes in the log: $(cat -A "$log")"
grep -q 'payload=base64url(\\x0a\[9\] SIGNED' "$log" || t_fail "payload not logged escaped: $(cat -A "$log")"
grep -q 'NOSIGN \[invalid JWS Protected Header\] header=base64url({"alg":"ES256","nonce":"\\x0a\[9\]' "$log" ||
    t_fail "refused header not logged escaped: $(cat -A "$log")"
t_pass "embedded newlines and terminal escapes are logged escaped, one line per event"
t_done
