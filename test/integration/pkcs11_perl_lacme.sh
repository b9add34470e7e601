#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Debian's Perl lacme issues certificates from pebble while OUR lacme-accountd keeps the account
# key on a SoftHSM token (privkey = pkcs11:...): RSA-2048, P-256 and P-384 keys made with
# pkcs11-tool as doc/pkcs11.md tells users, and a P-256 key that needs a login per signature
# (CKA_ALWAYS_AUTHENTICATE, as YubiKey PIV slot 9c); the PIN from a pin-file, from the URI (pin-value and
# pin-source) and typed at a terminal prompt (driven through a pty). Perl's client does not retry
# badNonce, so pebble's nonce rejection is off here (as in accountd_perl_lacme.sh).
source "$(dirname "$0")/lib.sh"
t_require lacme
t_require python3
[ -x "$ACCOUNTD" ] || t_fail "missing $ACCOUNTD (build lacme-accountd)"
t_pebble_up PEBBLE_WFE_NONCEREJECT=0
t_softhsm_init acme

t_pkcs11_tool --keypairgen --key-type rsa:2048 --id 01 --label acct-rsa >/dev/null 2>&1 || t_fail "pkcs11-tool keygen rsa:2048"
t_pkcs11_tool --keypairgen --key-type EC:prime256v1 --id 02 --label acct-p256 >/dev/null 2>&1 || t_fail "pkcs11-tool keygen P-256"
t_pkcs11_tool --keypairgen --key-type EC:secp384r1 --id 03 --label acct-p384 >/dev/null 2>&1 || t_fail "pkcs11-tool keygen P-384"
# Like a YubiKey PIV slot 9c key: a login for every signature (CKA_ALWAYS_AUTHENTICATE).
t_pkcs11_tool --keypairgen --key-type EC:prime256v1 --id 9c --label acct-9c --always-auth --usage-sign >/dev/null 2>&1 ||
    t_fail "pkcs11-tool keygen --always-auth"
t_pkcs11_tool --list-objects --type privkey 2>/dev/null |
    grep -A8 "label: *acct-9c" | grep -q "always authenticate" || t_fail "acct-9c lacks CKA_ALWAYS_AUTHENTICATE"
echo 1234 >"$T/softhsm/pin"; chmod 0600 "$T/softhsm/pin"


token="pkcs11:token=acme"
# keytype, privkey, extra config line (SoftHSM writes its token file at every login: a key that
# logs in for every signature needs its token directory writable in accountd's sandbox)
cases=(
    "rsa2048|$token;object=acct-rsa;type=private|pin-file = $T/softhsm/pin"
    "p256|$token;id=%02?pin-value=1234|"
    "p384|$token;object=acct-p384?pin-source=file:$T/softhsm/pin|pkcs11-module = $SOFTHSM_MODULE"
    "always-auth-p256|$token;id=%9c;type=private?pin-source=file:$T/softhsm/pin|sandbox-write-dir = $T/softhsm/tokens"
)
for c in "${cases[@]}"; do
    IFS='|' read -r keytype privkey extra <<<"$c"
    d="$T/$keytype"; mkdir -p "$d"
    { echo "privkey = $privkey"; [ -z "$extra" ] || echo "$extra"; echo "logfile = $d/accountd.log"; } >"$d/accountd.conf"
    # The master spawns accountd over its socketpair (--stdio). It clears the environment, so
    # SOFTHSM2_CONF is passed on the command line (env), as a site would for its own token setup.
    t_perl_lacme_conf "$d" accountd="env SOFTHSM2_CONF=$SOFTHSM2_CONF $ACCOUNTD" accountd_config="$d/accountd.conf"
    t_perl_issue "$d" "$keytype"
    grep -q 'SIGNED header=' "$d/accountd.log" || t_fail "$keytype: accountd logged no signature"
    t_pass "$keytype key on SoftHSM, Perl lacme + our accountd --stdio (${extra:+${extra%% =*}, }$privkey)"
done

# The PIN typed at a terminal: accountd as a socket daemon on a pty, prompting with echo off.
d="$T/prompt"; mkdir -p "$d/run"; chmod 0700 "$d/run"
t_bg "$d/pty.log" python3 "$SRC/test/integration/pkcs11_pty.py" "PIN for PKCS#11 token 'acme': " 1234 "$d/tty.log" -- \
    "$ACCOUNTD" --config=/dev/null --privkey="$token;object=acct-p256" --pkcs11-module="$SOFTHSM_MODULE" \
    --socket="$d/run/S.lacme"
t_wait_for "accountd socket after the PIN prompt" test -S "$d/run/S.lacme"
grep -q "PIN for PKCS#11 token 'acme'" "$d/tty.log" || t_fail "no PIN prompt on the terminal: $(cat "$d/tty.log")"
! grep -q 1234 "$d/tty.log" || t_fail "the PIN was echoed on the terminal"
t_perl_lacme_conf "$d"
t_certs_conf "$d" www "prompt.example.org"
t_perl_lacme "$d" --socket="$d/run/S.lacme" newOrder --config-certs="$d/certs.conf" --force >"$d/order.log" 2>&1 ||
    t_fail "prompt: newOrder failed: $(cat "$d/order.log")"
t_verify_chain "$d/www.pem" "prompt.example.org"
t_pass "p256 key with the PIN typed at a terminal prompt (no echo), accountd on a UNIX socket"
t_done
