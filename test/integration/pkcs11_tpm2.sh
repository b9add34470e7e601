#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Our pkcs11/ layer against a second real PKCS#11 implementation: tpm2-pkcs11 on a software TPM
# (the SoftHSM scenarios of pkcs11_errors.sh that apply to a TPM). --list-keys; the PIN from a
# pin-file and from the URI (pin-value, pin-source); a wrong PIN reported once and never
# retried (the TPM counts it against its dictionary-attack lockout); 8 connections x 500
# signatures per key type, every one verified against the JWK.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tpm_lib.sh"
[ -x "$ACCOUNTD" ] || t_fail "missing $ACCOUNTD (build lacme-accountd)"
load="$BUILD/test/tools/accountd-load"
[ -x "$load" ] || t_fail "missing $load (build the project first)"
t_swtpm_up
t_tpm2_pkcs11_token acme
echo 1234 >"$T/pin"; echo 9876 >"$T/wrong-pin"; chmod 0600 "$T/pin" "$T/wrong-pin"
mod="--pkcs11-module=$TPM2_PKCS11_MODULE"
# Rejected PINs are remembered in the test's own directory, not in root's cache.
state="--pin-state-dir=$T/pin-state"
acd() { t_accountd_once "$mod" "$state" "$@"; }

out=$("$ACCOUNTD" --config=/dev/null --list-keys "$mod" "$state" --privkey="pkcs11:token=acme?pin-value=1234" 2>&1)
for label in acct-rsa acct-p256; do
    grep -A1 "label '$label'" <<<"$out" | grep -q "token=acme;id=%[0-9a-f%]*;type=private?module-path=" ||
        t_fail "--list-keys lacks $label: $out"
done
grep -q '\[RS256\]' <<<"$out" && grep -q '\[ES256\]' <<<"$out" || t_fail "--list-keys lacks algorithms: $out"
t_pass "--list-keys shows the tpm2-pkcs11 keys with their URIs"

# The greeting line of a --stdio accountd whose peer hangs up at once.
greeting() { "$ACCOUNTD" --config=/dev/null "$mod" "$state" --stdio "$@" < <(:) 2>&1 | head -1; }
grep -q '"alg":"RS256"' <<<"$(greeting --privkey="pkcs11:token=acme;object=acct-rsa?pin-value=1234")" ||
    t_fail "pin-value: $(greeting --privkey="pkcs11:token=acme;object=acct-rsa?pin-value=1234")"
grep -q '"alg":"ES256"' <<<"$(greeting --privkey="pkcs11:token=acme;object=acct-p256?pin-source=file:$T/pin")" ||
    t_fail "pin-source"
printf 'privkey = pkcs11:token=acme;object=acct-p256\npin-file = %s\npkcs11-module = %s\npin-state-dir = %s\n' "$T/pin" \
    "$TPM2_PKCS11_MODULE" "$T/pin-state" >"$T/p256.conf"
grep -q '"alg":"ES256"' <<<"$(greeting --config="$T/p256.conf")" ||
    t_fail "pin-file"
t_pass "PIN from pin-value, pin-source and pin-file"

# A daemon per key type: 8 connections x 500 signatures, all verified.
mkdir -p "$T/run"; chmod 0700 "$T/run"
for label in acct-rsa acct-p256; do
    sock="$T/run/$label.sock"
    printf 'privkey = pkcs11:token=acme;object=%s\npin-file = %s\npkcs11-module = %s\npin-state-dir = %s\n' "$label" \
        "$T/pin" "$TPM2_PKCS11_MODULE" "$T/pin-state" >"$T/$label.conf"
    t_bg "$T/accountd-$label.log" "$ACCOUNTD" --config="$T/$label.conf" --socket="$sock"
    t_wait_for "accountd socket for $label" test -S "$sock"
    out=$(timeout 300 "$load" "$sock" 8 500 --verify 2>&1) || t_fail "$label: $out"
    grep -q "signatures=4000 failures=0" <<<"$out" || t_fail "$label: $out"
    kill "$T_LAST_PID"
    t_pass "$label on tpm2-pkcs11: 8 concurrent connections x 500 signatures, all verify ($out)"
done

# Last: a wrong PIN counts against the TPM's lockout, which later tests on this TPM would meet.
t_expect_fail "wrong PIN reported once, not retried" "CKR_PIN_INCORRECT; not retried" \
    acd --privkey="pkcs11:token=acme;object=acct-p256?pin-source=file:$T/wrong-pin"
out=$(acd --privkey="pkcs11:token=acme;object=acct-p256?pin-value=9876" 2>&1) || true
! grep -q 9876 <<<"$out" || t_fail "the PIN appears in an error message: $out"
t_pass "a wrong pin-value is not shown in the error"
t_done
