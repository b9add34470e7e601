#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# lacme account --eab-kid/--eab-hmac-key and --rollover (our master, client and accountd, client
# and webserver dropped to lacme's users) against pebble requiring EAB: the MAC key is read by
# root from a file only root can read (or from stdin) and never stands in the client's argv;
# the account's file key rolls over to a SoftHSM token key (the new key's lacme-accountd started
# from [accountd] with the --rollover configuration), the old key then has no account, and the
# token key finds the same account and gets a certificate.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
mac_key=$(openssl rand 32 | base64 -w0 | tr '+/' '-_' | tr -d '=')
PEBBLE_CONFIG_EXTRA="\"externalAccountBindingRequired\": true, \"externalAccountMACKeys\": {\"kid-1\": \"$mac_key\", \"kid-2\": \"$mac_key\"}" \
    t_master_up
t_softhsm_init acme

# The client, wrapped to record its argv.
printf '#!/bin/sh\nprintf "%%s\\n" "$*" >>%s/client-argv\nexec %s "$@"\n' "$T" "$CLIENT" >"$T/client-wrapper"
chmod 0755 "$T/client-wrapper"
: >"$T/client-argv"
chmod 0666 "$T/client-argv"
accountd="/usr/bin/env SOFTHSM2_CONF=$SOFTHSM2_CONF $ACCOUNTD"
t_keygen "$T/account.key" p256
printf 'privkey = file:%s\n' "$T/account.key" >"$T/accountd.conf"
t_master_conf "$T/conf" client="$T/client-wrapper" accountd="$accountd" accountd_config="$T/accountd.conf"

t_expect_fail "register without EAB where the CA requires it" "external account binding" t_master account --register --tos-agreed
rc=0; t_master account --eab-kid=kid-1 >/dev/null 2>"$T/usage.log" || rc=$?
[ "$rc" = 2 ] && grep -q -- "--eab-kid and --eab-hmac-key go together" "$T/usage.log" || t_fail "--eab-kid alone: exit $rc: $(cat "$T/usage.log")"
rc=0; t_master account --eab-kid=kid-1 --eab-hmac-key=/dev/null >/dev/null 2>"$T/usage.log" || rc=$?
[ "$rc" = 2 ] && grep -q -- "add --register" "$T/usage.log" || t_fail "EAB without --register: exit $rc: $(cat "$T/usage.log")"
t_pass "EAB options without their other half or without --register exit 2"

mkdir -m 0700 "$T/secret"
printf '%s\n' "$mac_key" >"$T/secret/eab.key"
chmod 0600 "$T/secret/eab.key"
t_master account --register --tos-agreed --eab-kid=kid-1 --eab-hmac-key="$T/secret/eab.key" mailto:eab@example.org \
    >"$T/account.json" 2>"$T/register.log" || t_fail "EAB registration: $(cat "$T/register.log")"
grep -q '"status": *"valid"' "$T/account.json" || t_fail "no valid account: $(cat "$T/account.json")"
grep -q -- "--eab-kid=kid-1 --eab-hmac-key=-" "$T/client-argv" || t_fail "client argv: $(cat "$T/client-argv")"
t_pass "account --register --eab-kid --eab-hmac-key=FILE (a file only root reads) binds the account"

t_keygen "$T/other.key" p256
printf 'privkey = file:%s\n' "$T/other.key" >"$T/other-accountd.conf"
t_master_conf "$T/other" client="$T/client-wrapper" accountd="$accountd" accountd_config="$T/other-accountd.conf"
"$LACME" --config="$T/other/lacme.conf" account --register --tos-agreed --eab-kid=kid-2 --eab-hmac-key=- \
    <"$T/secret/eab.key" >"$T/other.json" 2>"$T/other.log" || t_fail "EAB registration, key on stdin: $(cat "$T/other.log")"
grep -q '"status": *"valid"' "$T/other.json" || t_fail "no valid account: $(cat "$T/other.json")"
! grep -qF -- "$mac_key" "$T/client-argv" || t_fail "the MAC key stood in the client's argv"
t_pass "--eab-hmac-key=- reads the MAC key from stdin; the key is never in the client's argv"

# Rollover onto a token key.
t_pkcs11_tool --keypairgen --key-type EC:prime256v1 \
    --id 01 --label account >/dev/null 2>&1 || t_fail "token key generation"
printf 'privkey = pkcs11:token=acme;object=account;type=private?module-name=softhsm2&pin-value=1234\n' >"$T/token-accountd.conf"
key_id() { grep -o 'Key ID: .*' "$1" | head -1; }
t_master account >/dev/null 2>"$T/before.log" || t_fail "account before rollover: $(cat "$T/before.log")"
t_master --socket=/nonexistent account --rollover="$T/token-accountd.conf" >/dev/null 2>"$T/nosection.log" &&
    t_fail "--rollover without [accountd] succeeded"
grep -q "\[accountd\]" "$T/nosection.log" || t_fail "--rollover with --socket: $(cat "$T/nosection.log")"
t_master account --rollover="$T/token-accountd.conf" >"$T/rolled.json" 2>"$T/rollover.log" ||
    t_fail "rollover: $(cat "$T/rollover.log")"
grep -q "Account key changed" "$T/rollover.log" || t_fail "rollover not reported: $(cat "$T/rollover.log")"
grep -q -- "--new-key-fd=5" "$T/client-argv" || t_fail "client argv: $(cat "$T/client-argv")"
t_expect_fail "the old file key has no account after the rollover" "accountDoesNotExist|account lookup|No account" t_master account
sed -i "s|^config = .*|config = $T/token-accountd.conf|" "$T/conf/lacme.conf"
t_master account >/dev/null 2>"$T/after.log" || t_fail "account with the token key: $(cat "$T/after.log")"
[ -n "$(key_id "$T/before.log")" ] && [ "$(key_id "$T/before.log")" = "$(key_id "$T/after.log")" ] ||
    t_fail "not the same account: $(key_id "$T/before.log") vs $(key_id "$T/after.log")"
t_pass "account --rollover=CONFIG moves the account onto the token key (same account URL)"

mkdir -p "$T/certs"
t_certs_conf "$T/certs" www www.rollover.example.org
t_master newOrder --config-certs="$T/certs/certs.conf" >"$T/order.log" 2>&1 || t_fail "newOrder with the token key: $(cat "$T/order.log")"
t_verify_chain "$T/certs/www.pem" www.rollover.example.org
t_pass "the rolled-over account issues with the token key"
t_done
