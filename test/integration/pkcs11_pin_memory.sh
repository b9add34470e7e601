#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A wrong PIN file must not lock a token over several runs (as cron starting lacme, and so a new
# lacme-accountd, every day would with a YubiKey that locks after three): the token sees the wrong
# PIN once, later runs refuse to offer it (one clear line naming the record to delete), a changed
# PIN file is tried again. The record holds no PIN. --list-keys reads through the module the
# configured URI names, honours the same record, and a key URI it prints, pasted as privkey, signs.
# The test shim module forwards to SoftHSM and records every C_Login.
source "$(dirname "$0")/lib.sh"
t_pkcs11_shim
t_softhsm_init acme
t_pkcs11_tool --keypairgen \
    --key-type EC:prime256v1 --id 02 --label account >/dev/null 2>&1 || t_fail "keygen"
echo 0000 >"$T/pin"; chmod 0600 "$T/pin"
export LACME_SHIM_LOGINS_FILE="$T/logins"
state="$T/state/lacme-accountd"
printf 'privkey = pkcs11:token=acme;id=%%02\npin-file = %s\npkcs11-module = %s\npin-state-dir = %s\n' \
    "$T/pin" "$shim" "$state" >"$T/accountd.conf"
run() { : | "$ACCOUNTD" --config="$T/accountd.conf" --stdio "$@" 2>&1 | cat; return "${PIPESTATUS[1]}"; }

out=$(run) && t_fail "a wrong PIN was accepted: $out"
grep -q "CKR_PIN_INCORRECT; not retried; recorded in $state/pin-rejections" <<<"$out" || t_fail "first run: $out"
for n in 2 3; do
    out=$(run) && t_fail "run $n: a wrong PIN was accepted: $out"
    grep -q "rejected this PIN before (recorded in $state/pin-rejections); not offering it again" <<<"$out" ||
        t_fail "run $n: $out"
    [ "$(grep -c . <<<"$out")" = 1 ] || t_fail "run $n: not one line: $out"
done
[ "$(cat "$T/logins")" = "1 pin" ] || t_fail "three runs, logins: $(cat "$T/logins")"
t_pass "three runs with the same wrong PIN file: the token saw one C_Login"

[ "$(stat -c %a "$state")" = 700 ] && [ "$(stat -c %a "$state/pin-rejections")" = 600 ] &&
    [ "$(stat -c %a "$state/pin-rejections.key")" = 600 ] || t_fail "modes: $(ls -la "$state")"
# The record is "SERIAL-HEX HMAC-HEX" lines: nothing else, so not the PIN (a grep for 0000 would
# also find it, by chance, inside the random-keyed HMAC's hex).
! grep -qvE '^[0-9a-f]+ [0-9a-f]{64}$' "$state/pin-rejections" && grep -q . "$state/pin-rejections" ||
    t_fail "the record is not serial and HMAC alone: $(cat "$state/pin-rejections")"
t_pass "the record is private (0700 directory, 0600 files) and holds no PIN"

out=$("$ACCOUNTD" --config="$T/accountd.conf" --list-keys 2>&1) || t_fail "--list-keys: $out"
grep -q "not logged in: .*rejected this PIN before" <<<"$out" || t_fail "--list-keys and the record: $out"
[ "$(cat "$T/logins")" = "1 pin" ] || t_fail "--list-keys offered the rejected PIN: $(cat "$T/logins")"
t_pass "--list-keys does not offer a PIN the token rejected in an earlier run"

echo 1234 >"$T/pin"
out=$(run) || t_fail "right PIN: $out"
[ "$(cat "$T/logins")" = $'1 pin\n1 pin' ] || t_fail "logins after the PIN file changed: $(cat "$T/logins")"
[ ! -s "$state/pin-rejections" ] || t_fail "the accepted token's record was not cleared"
t_pass "a changed PIN file is tried again, and its success clears the record"

# A token on its final try (the shim adds CKF_USER_PIN_FINAL_TRY) is not logged in to unless allowed.
rm -f "$T/logins"
out=$(LACME_SHIM_TOKEN_FLAGS=20000 run) && t_fail "logged in on the final try: $out"
grep -q "(CKF_USER_PIN_FINAL_TRY); not logging in: .*--allow-final-pin-try" <<<"$out" || t_fail "final try: $out"
[ ! -e "$T/logins" ] || t_fail "final try, yet logins: $(cat "$T/logins")"
out=$(LACME_SHIM_TOKEN_FLAGS=20000 run --allow-final-pin-try) || t_fail "--allow-final-pin-try: $out"
[ "$(cat "$T/logins")" = "1 pin" ] || t_fail "--allow-final-pin-try, logins: $(cat "$T/logins")"
t_pass "the final try is used only with --allow-final-pin-try"

# --list-keys through the module named in the URI (no --pkcs11-module): the shim, which logs in.
rm -f "$T/logins"
out=$("$ACCOUNTD" --config=/dev/null --pin-state-dir="$state" --list-keys \
    --privkey="pkcs11:token=acme?module-path=$shim&pin-source=file:$T/pin" 2>&1) || t_fail "--list-keys: $out"
[ "$(cat "$T/logins" 2>/dev/null)" = "1 pin" ] || t_fail "--list-keys ignored the URI's module-path: $out"
uri=$(grep -m1 -o 'pkcs11:serial=.*;token=acme;id=%02;type=private?module-path=.*' <<<"$out") ||
    t_fail "no key URI in: $out"
t_pass "--list-keys uses the configured URI's module-path"

mkdir -p "$T/run"; chmod 0700 "$T/run"
t_bg "$T/accountd.log" "$ACCOUNTD" --config=/dev/null --pin-state-dir="$state" --socket="$T/run/S.lacme" \
    --privkey="$uri&pin-source=file:$T/pin"
t_wait_for "accountd socket" test -S "$T/run/S.lacme"
out=$(timeout 20 "$load" "$T/run/S.lacme" 1 3 --verify 2>&1) || t_fail "pasted URI: $out"
t_pass "the printed key URI, pasted as privkey, signs ($out)"
t_done
