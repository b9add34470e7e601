#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# lacme-accountd --list-keys with two tokens that both need a login: the configured key's PIN
# goes only to the token its URI selects, and a PIN a token refused is never sent again. The
# test shim module forwards to SoftHSM and records every C_Login, so the logins can be counted.
source "$(dirname "$0")/lib.sh"
t_pkcs11_shim
t_softhsm_init acme
softhsm2-util --init-token --free --label spare --so-pin 12345678 --pin 1234 >/dev/null || t_fail "init token spare"
for token in acme spare; do
    pkcs11-tool --module "$SOFTHSM_MODULE" --token-label "$token" --login --pin 1234 \
        --keypairgen --key-type EC:prime256v1 --id 02 --label account >/dev/null 2>&1 || t_fail "keygen on $token"
done
echo 1234 >"$T/pin"; echo 0000 >"$T/wrong-pin"; chmod 0600 "$T/pin" "$T/wrong-pin"
export LACME_SHIM_LOGINS_FILE="$T/logins"
list() {
    rm -f "$T/logins"
    "$ACCOUNTD" --config=/dev/null --pkcs11-module="$shim" --pin-state-dir="$T/pin-state" --list-keys --privkey="$1"
}
count() { grep -c -- "$1" <<<"$out"; }

out=$(list "pkcs11:token=acme;object=account?pin-source=file:$T/pin") || t_fail "--list-keys: $out"
[ "$(cat "$T/logins")" = "1 pin" ] || t_fail "logins with token=acme: $(cat "$T/logins")"
[ "$(count 'private key \[ES256\]')" = 1 ] && [ "$(count 'not visible without login')" = 1 ] ||
    t_fail "acme's key should show as private, spare's through its public key: $out"
t_pass "--list-keys logs in only to the token the configured URI selects"

# No token attribute: the URI selects both tokens; SoftHSM refuses the wrong PIN on the first.
out=$(list "pkcs11:object=account?pin-source=file:$T/wrong-pin") || t_fail "--list-keys: $out"
[ "$(cat "$T/logins")" = "1 pin" ] || t_fail "a refused PIN was offered again: $(cat "$T/logins")"
[ "$(count 'CKR_PIN_INCORRECT; not retried')" = 1 ] && [ "$(count 'not visible without login')" = 2 ] ||
    t_fail "both tokens should be listed without login after the refusal: $out"
t_pass "--list-keys never offers a refused PIN again, and still lists every token"

out=$(list "pkcs11:token=acme;object=account")
[ ! -e "$T/logins" ] && [ "$(count 'not visible without login')" = 2 ] || t_fail "no PIN configured, yet: $out"
t_pass "--list-keys without a configured PIN logs in nowhere"
t_done
