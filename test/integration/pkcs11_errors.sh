#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# lacme-accountd with PKCS#11 keys when things go wrong, and --list-keys: wrong PIN (reported
# once, never retried), no PIN source, no such token/object, ambiguous URI, module paths that
# are not PKCS#11 modules; the token vanishing under a running daemon (clean errors, no hang,
# clean exit, a restarted daemon signs); 8 connections x 500 signatures per key type,
# every one verified against the JWK.
source "$(dirname "$0")/lib.sh"
[ -x "$ACCOUNTD" ] || t_fail "missing $ACCOUNTD (build lacme-accountd)"
load="$BUILD/test/tools/accountd-load"
[ -x "$load" ] || t_fail "missing $load (build the project first)"
t_softhsm_init acme
t_pkcs11_tool --keypairgen --key-type rsa:2048 --id 01 --label acct-rsa >/dev/null 2>&1 || t_fail "pkcs11-tool keygen rsa:2048"
t_pkcs11_tool --keypairgen --key-type EC:prime256v1 --id 02 --label acct-p256 >/dev/null 2>&1 || t_fail "pkcs11-tool keygen P-256"
t_pkcs11_tool --keypairgen --key-type EC:secp384r1 --id 03 --label acct-p384 >/dev/null 2>&1 || t_fail "pkcs11-tool keygen P-384"
t_pkcs11_tool --keypairgen --key-type EC:prime256v1 --id 07 --label twin >/dev/null 2>&1 || t_fail "pkcs11-tool keygen twin"
t_pkcs11_tool --keypairgen --key-type EC:prime256v1 --id 08 --label twin >/dev/null 2>&1 || t_fail "pkcs11-tool keygen twin"
echo 1234 >"$T/pin"; echo 0000 >"$T/wrong-pin"; chmod 0600 "$T/pin" "$T/wrong-pin"
mod="--pkcs11-module=$SOFTHSM_MODULE"
# Rejected PINs are remembered in the test's own directory, not in root's /var/cache.
state="--pin-state-dir=$T/pin-state"
acd() { t_accountd_once "$mod" "$state" "$@"; }

# --list-keys: every key with a URI that selects it (through p11-kit's proxy by default too).
out=$("$ACCOUNTD" --config=/dev/null --list-keys "$mod")
for key in acct-rsa:01 acct-p256:02 acct-p384:03; do
    label=${key%:*} id=${key#*:}
    grep -A1 "label '$label', id $id" <<<"$out" | grep -q "token=acme;id=%$id;type=private?module-path=" ||
        t_fail "--list-keys lacks $label: $out"
done
grep -q '\[RS256\]' <<<"$out" && grep -q '\[ES384\]' <<<"$out" || t_fail "--list-keys lacks algorithms: $out"
out=$("$ACCOUNTD" --config=/dev/null --list-keys)
grep -q "token=acme;id=%02;type=private$" <<<"$out" || t_fail "--list-keys via p11-kit-proxy: $out"
t_pass "--list-keys prints tokens and usable keys with their URIs (explicit module and p11-kit proxy)"

t_expect_fail "wrong PIN reported once, not retried" "CKR_PIN_INCORRECT; not retried" \
    acd --privkey="pkcs11:token=acme;object=acct-p256?pin-source=file:$T/wrong-pin"
out=$(acd --privkey="pkcs11:token=acme;object=acct-p256?pin-value=0000" 2>&1) || true
! grep -q 0000 <<<"$out" || t_fail "the PIN appears in an error message: $out"
t_expect_fail "no PIN and no terminal" "needs a PIN: add pin-source" acd --privkey="pkcs11:token=acme;object=acct-p256"
t_expect_fail "no such token (lists tokens)" "no token matches .*tokens found: 'acme'" \
    acd --privkey="pkcs11:token=nope;object=acct-p256?pin-value=1234"
out=$(acd --privkey="pkcs11:token=nope;object=acct-p256?pin-value=1234" 2>&1) || true
grep -q "pin-value=\*\*\*" <<<"$out" && ! grep -q 1234 <<<"$out" || t_fail "PIN not redacted from the URI in: $out"
t_pass "a pin-value in the URI is redacted from error messages"
t_expect_fail "no such object (lists keys)" "no private key matches .*label 'acct-p256', id 02, EC P-256" \
    acd --privkey="pkcs11:token=acme;object=nope?pin-value=1234"
t_expect_fail "ambiguous URI (lists candidates)" "several private keys match .*id 07.*id 08" \
    acd --privkey="pkcs11:token=acme;object=twin?pin-value=1234"
t_expect_fail "module that is not a shared library" "cannot load PKCS#11 module /etc/passwd" \
    "$ACCOUNTD" --config=/dev/null --pkcs11-module=/etc/passwd --stdio --privkey="pkcs11:token=acme;object=acct-p256?pin-value=1234"
t_expect_fail "library that is not a PKCS#11 module" "is not a PKCS#11 module" \
    "$ACCOUNTD" --config=/dev/null --stdio --privkey="pkcs11:token=acme;object=acct-p256?pin-value=1234&module-path=/usr/lib/x86_64-linux-gnu/libz.so.1"
t_expect_fail "module path in the URI that does not exist" "cannot load PKCS#11 module /nonexistent" \
    "$ACCOUNTD" --config=/dev/null --stdio --privkey="pkcs11:token=acme;object=acct-p256?pin-value=1234&module-path=/nonexistent/p11.so"

# A daemon per key type: 8 connections x 100 signatures, all verified: every key type signs
# right on a token, concurrently (volume is accountd_concurrency.sh's, and unit_pkcs11's threads).
mkdir -p "$T/run"; chmod 0700 "$T/run"
declare -A pids
for label in acct-rsa acct-p256 acct-p384; do
    sock="$T/run/$label.sock"
    printf 'privkey = pkcs11:token=acme;object=%s\npin-file = %s\npkcs11-module = %s\n' "$label" "$T/pin" \
        "$SOFTHSM_MODULE" >"$T/$label.conf"
    t_bg "$T/accountd-$label.log" "$ACCOUNTD" --config="$T/$label.conf" --socket="$sock"
    pids[$label]=$T_LAST_PID
    t_wait_for "accountd socket for $label" test -S "$sock"
    out=$(timeout 120 "$load" "$sock" 8 100 --verify 2>&1) || t_fail "$label: $out"
    grep -q "signatures=800 failures=0" <<<"$out" || t_fail "$label: $out"
    t_pass "$label on SoftHSM: 8 concurrent connections x 100 signatures, all verify ($out)"
done

# The token disappears under a running daemon (as when unplugged), then comes back.
sock="$T/run/acct-p256.sock"
mv "$T/softhsm/tokens" "$T/softhsm/tokens.away"; mkdir "$T/softhsm/tokens"
out=$(timeout 20 "$load" "$sock" 2 5 2>&1) && t_fail "signing without the token succeeded: $out"
[ $? -ne 124 ] || t_fail "signing without the token hung"
grep -q "no token matches" "$T/accountd-acct-p256.log" || t_fail "no clear error in the log: $(tail -3 "$T/accountd-acct-p256.log")"
t_pass "token gone: signing fails with a clear error, nothing hangs"
# The daemon is still there for new peers: it greets them (the JWK is known without the token).
out=$(t_accountd_peer "$sock" greeting 2>&1) ||
    t_fail "no greeting after the token vanished: $out"
grep -q '"alg":"ES256"' <<<"$out" || t_fail "bad greeting after the token vanished: $out"
t_pass "token gone: the daemon keeps serving new connections"
# SoftHSM reads its token directory only in C_Initialize, so the token coming back is not seen by
# a running process (hardware tokens are: the re-open/re-login path is unit-tested with forced
# logouts). A restarted daemon signs again.
rmdir "$T/softhsm/tokens"; mv "$T/softhsm/tokens.away" "$T/softhsm/tokens"
pid=${pids[acct-p256]}
kill "$pid"
for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done  # up to 30 s (ASan, load)
! kill -0 "$pid" 2>/dev/null || t_fail "accountd did not exit on SIGTERM"
[ ! -e "$sock" ] || t_fail "accountd left its socket behind"
t_pass "the daemon exits cleanly on SIGTERM (C_Finalize, socket removed)"
# This time with the PIN in --privkey (a pin-value in argv): the process list shows it masked
# once the daemon runs.
t_bg "$T/accountd-again.log" "$ACCOUNTD" --config=/dev/null "$mod" --socket="$sock" \
    --privkey="pkcs11:token=acme;object=acct-p256?pin-value=1234"
pid=$T_LAST_PID
t_wait_for "restarted accountd socket" test -S "$sock"
out=$(timeout 20 "$load" "$sock" 2 5 --verify 2>&1) || t_fail "restarted daemon: $out"
t_pass "token back: a restarted daemon signs again ($out)"
cmdline=$(tr '\0' ' ' </proc/"$pid"/cmdline)
grep -q 'object=acct-p256?pin-value=\*\*\*\* ' <<<"$cmdline" && ! grep -q 1234 <<<"$cmdline" ||
    t_fail "the PIN in --privkey still shows in /proc/$pid/cmdline: $cmdline"
t_pass "a pin-value in --privkey is masked in the process list (/proc/PID/cmdline)"
t_done
