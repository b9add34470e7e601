#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The SoftHSM walk-throughs of doc/pkcs11.md and doc/yubikey.md, run as written. Each guide's
# blocks fenced as ```sh softhsm-test run in document order, as one `bash -eu -o pipefail`
# script; a block fenced as ```ini softhsm-test:PATH is appended to PATH. The only substitutions
# (the directories and the user, as the guides say): /etc/lacme and /var/lib/lacme-accountd move
# into the test directory, and the user _lacme-accountd is nobody (whose group is nogroup, like a
# `adduser --system` user's). /usr/bin/lacme-accountd is this build's in the test's private mount
# namespace (lib.sh), so the guides name it as written. Then the printed URIs and the guides'
# configuration must sign for our lacme against pebble, as the user the guide runs accountd as.
T_INSTALLED_ACCOUNTD=1
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
t_require runuser
getent passwd nobody >/dev/null && getent group nogroup >/dev/null || t_fail "user nobody / group nogroup missing"
t_master_up
root="$T/root"
mkdir -p "$root/etc/lacme" "$T/work"
chmod 0755 "$root" "$root/etc" "$root/etc/lacme" "$T/work"

# guide_script GUIDE: GUIDE's marked blocks as one script, with the substitutions above.
guide_script() {
    awk '
        /^```sh softhsm-test$/ { block = "sh"; next }
        /^```ini softhsm-test:/ { block = "ini"; print "cat >>" substr($0, 21) " <<'\''GUIDE_INI'\''"; next }
        /^```/ && block != "" { if (block == "ini") print "GUIDE_INI"; block = ""; next }
        block != "" { print }
    ' "$SRC/doc/$1" | sed -e "s|/etc/lacme|$root/etc/lacme|g" \
        -e "s|/var/lib/lacme-accountd|$root/var/lib/lacme-accountd|g" \
        -e "s|_lacme-accountd|nobody|g"
}

# run_guide GUIDE: runs it in $T/work; its output in $T/GUIDE.log.
run_guide() {
    guide_script "$1" >"$T/$1.sh"
    grep -q . "$T/$1.sh" || t_fail "no softhsm-test block in doc/$1"
    (cd "$T/work" && bash -eu -o pipefail "$T/$1.sh") >"$T/$1.log" 2>&1 || t_fail "doc/$1's commands failed: $(tail -5 "$T/$1.log")"
}

# listed_uri LOG: the first key URI --list-keys printed.
listed_uri() { grep -oE '^ +pkcs11:[^ ]*type=private[^ ]*' "$1" | head -1 | tr -d ' '; }

# register CONF: our lacme registers the account of the accountd CONF's key.
register() {
    "$LACME" --config="$1" account --register --tos-agreed >"$T/register.log" 2>&1 ||
        t_fail "register with $1: $(cat "$T/register.log")"
}

# doc/pkcs11.md: the token, key, PIN file, accountd and lacme configuration, all for the accountd user.
conf="$root/etc/lacme/lacme.conf"
t_master_conf "$root/etc/lacme"     # [client]/[webserver] for pebble; the guide appends [accountd]
run_guide pkcs11.md
uri=$(listed_uri "$T/pkcs11.md.log")
[ -n "$uri" ] || t_fail "pkcs11.md: --list-keys printed no key URI: $(cat "$T/pkcs11.md.log")"
owner=$(stat -c %U "$root"/var/lib/lacme-accountd/tokens/*/token.object)
[ "$owner" = nobody ] || t_fail "pkcs11.md: the token belongs to $owner, not to the accountd user"
t_pass "pkcs11.md: token made as the accountd user, --list-keys prints $uri"

# The printed URI, pasted as privkey, signs (as nobody, started by lacme): pebble checks the JWS.
sed "s|^privkey = .*|privkey = $uri|" "$root/etc/lacme/lacme-accountd.conf" >"$T/listed-accountd.conf"
chmod 0644 "$T/listed-accountd.conf"
sed "s|^config  *= .*|config = $T/listed-accountd.conf|" "$conf" >"$T/listed-lacme.conf"
grep -q "^config = $T/listed-accountd.conf" "$T/listed-lacme.conf" || t_fail "pkcs11.md's [accountd] has no config line"
register "$T/listed-lacme.conf"
t_pass "pkcs11.md: the printed URI registers an account through lacme"

# The guide's own configuration finds that account and gets a certificate.
mkdir -p "$T/certs"
t_certs_conf "$T/certs" www www.guide.example.org
"$LACME" --config="$conf" newOrder --config-certs="$T/certs/certs.conf" --force >"$T/order.log" 2>&1 ||
    t_fail "newOrder with pkcs11.md's configuration: $(cat "$T/order.log")"
t_verify_chain "$T/certs/www.pem" www.guide.example.org
t_pass "pkcs11.md: lacme.conf and lacme-accountd.conf as written issue a certificate (accountd as nobody)"

# What pkcs11.md says happens otherwise: the accountd user does not see a token root made.
mkdir -p "$T/root-token/tokens"
chmod 0755 "$T/root-token" "$T/root-token/tokens"
echo "directories.tokendir = $T/root-token/tokens" >"$T/root-token/softhsm2.conf"
chmod 0644 "$T/root-token/softhsm2.conf"
SOFTHSM2_CONF="$T/root-token/softhsm2.conf" softhsm2-util --init-token --free --label acme --so-pin 12345678 --pin 1234 >/dev/null
t_expect_fail "pkcs11.md: a token made by root is invisible to the accountd user" "tokens found: none" \
    bash -c '"$@" </dev/null' - env SOFTHSM2_CONF="$T/root-token/softhsm2.conf" runuser -u nobody -- "$ACCOUNTD" \
    --config=/dev/null --privkey='pkcs11:token=acme?module-name=softhsm2&pin-value=1234' --stdio

# doc/yubikey.md: the rehearsal token shaped like ykcs11's slot 9c.
mkdir -p "$T/yk"
TMPDIR="$T/yk" run_guide yubikey.md
ykconf=$(echo "$T"/yk/*/softhsm2.conf)
[ -f "$ykconf" ] || t_fail "yubikey.md made no SoftHSM configuration"
uri=$(listed_uri "$T/yubikey.md.log")
grep -q 'private key \[ES256\]' "$T/yubikey.md.log" && [ -n "$uri" ] ||
    t_fail "yubikey.md: --list-keys did not list the private key: $(cat "$T/yubikey.md.log")"
SOFTHSM2_CONF="$ykconf" pkcs11-tool --module "$SOFTHSM_MODULE" --login --pin 123456 --list-objects --type privkey 2>/dev/null |
    grep -q "always authenticate" || t_fail "yubikey.md: the rehearsal key lacks CKA_ALWAYS_AUTHENTICATE"
# SoftHSM writes its token file at every (per-signature) login: its directory is writable in the sandbox.
printf 'privkey = %s\npin-file = %s\nsandbox-write-dir = %s\n' "$uri" "$(dirname "$ykconf")/yubikey.pin" \
    "$(dirname "$ykconf")/tokens" >"$T/yk-accountd.conf"
t_master_conf "$T/ykconf" accountd="/usr/bin/env SOFTHSM2_CONF=$ykconf $ACCOUNTD" accountd_config="$T/yk-accountd.conf"
register "$T/ykconf/lacme.conf"
t_pass "yubikey.md: the always-authenticate rehearsal key's printed URI registers an account"
t_done
