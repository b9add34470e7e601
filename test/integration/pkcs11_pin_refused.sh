#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A key that needs a login for every signature (CKA_ALWAYS_AUTHENTICATE, as YubiKey PIV slot 9c)
# whose per-signature login the token refuses: four connections asking one signature each make
# exactly one such login, never four (a PIV card blocks after three), and each gets a clear
# refusal. The shim module forwards to SoftHSM, records every C_Login and refuses the
# CKU_CONTEXT_SPECIFIC ones.
source "$(dirname "$0")/lib.sh"
t_pkcs11_shim
t_softhsm_init acme
t_pkcs11_tool --keypairgen \
    --key-type EC:prime256v1 --id 9c --label signature --always-auth >/dev/null 2>&1 || t_fail "keygen"
echo 1234 >"$T/pin"; chmod 0600 "$T/pin"
printf 'privkey = pkcs11:token=acme;object=signature\npin-file = %s\npkcs11-module = %s\npin-state-dir = %s\n' \
    "$T/pin" "$shim" "$T/pin-state" >"$T/accountd.conf"
mkdir -p "$T/run"; chmod 0700 "$T/run"
sock="$T/run/S.lacme"
LACME_SHIM_LOGINS_FILE="$T/logins" LACME_SHIM_REJECT_LOGIN=2 \
    t_bg "$T/accountd.log" "$ACCOUNTD" --config="$T/accountd.conf" --socket="$sock"
t_wait_for "accountd socket" test -S "$sock"
for connection in 1 2 3 4; do
    out=$(timeout 20 "$load" "$sock" 1 1 2>&1) && t_fail "connection $connection: a signature without login: $out"
    [ $? -ne 124 ] || t_fail "connection $connection hung"
done
[ "$(cat "$T/logins")" = $'1 pin\n2 pin' ] || t_fail "logins (1 user, 2 context-specific): $(cat "$T/logins")"
[ "$(grep -c 'CKR_PIN_INCORRECT; not retried' "$T/accountd.log")" -ge 4 ] ||
    t_fail "each refusal should be logged clearly: $(tail -5 "$T/accountd.log")"
t_pass "a refused per-signature PIN is offered once, not once per connection"
t_done
