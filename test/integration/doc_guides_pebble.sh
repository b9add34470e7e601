#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# doc/quick-start.md and doc/migrating-from-lacme.md, run as written against pebble (the
# migration on a lacme 0.8 configuration with an RSA file key, an account and a certificate). Each guide's
# blocks fenced as ```sh guide-test run in document order as one `bash -eu -o pipefail` script;
# a block fenced as ```ini guide-test:PATH (re)writes PATH. What the guides say differs here, and
# only that: in a private mount namespace this build's lacme, client, webserver and
# lacme-accountd stand at their installed paths and /etc/lacme is an empty directory of the
# test; the staging URLs are pebble's, the webserver listens on the test's loopback port, the
# user _lacme-accountd is nobody, /etc/ssl/lacme, /var/lib/lacme-accountd and SoftHSM's
# /var/lib/softhsm/tokens are in $T.
T_INSTALLED_ACCOUNTD=1
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
t_require runuser
getent passwd nobody >/dev/null && getent group nogroup >/dev/null || t_fail "user nobody / group nogroup missing"
eab_key=zWNDZM6eQGHWpSRTPal5eIUYFTu3EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W  # doc/quick-start.md's example
PEBBLE_CONFIG_EXTRA="\"externalAccountMACKeys\": {\"kid-1\": \"$eab_key\"}" t_master_up
mkdir -p "$T/etc-lacme" "$T/libexec" "$T/ssl" "$T/var"
chmod 0755 "$T/etc-lacme" "$T/libexec" "$T/ssl" "$T/var"
mount --bind "$T/etc-lacme" /etc/lacme
mount -t tmpfs -o mode=0755 lacme-libexec /usr/libexec/lacme
for program in client webserver; do
    touch "/usr/libexec/lacme/$program"
    mount --bind "$BUILD/$program/$program" "/usr/libexec/lacme/$program"
done
mount --bind "$LACME" /usr/sbin/lacme

# guide_script GUIDE: GUIDE's marked blocks as one script, with the substitutions above.
guide_script() {
    awk '
        /^```sh guide-test$/ { block = "sh"; next }
        /^```ini guide-test:/ { block = "ini"; path = substr($0, 19)
            print "install -d -m 0755 \"$(dirname " path ")\""; print "cat >" path " <<'\''GUIDE_INI'\''"; next }
        /^```/ && block != "" { if (block == "ini") print "GUIDE_INI"; block = ""; next }
        block != "" { print }
    ' "$SRC/doc/$1" | sed -e "s|https://acme-staging-v02.api.letsencrypt.org/directory|$PEBBLE_URL|g" \
        -e "s|https://letsencrypt.org/certs/staging/letsencrypt-stg-root-x1.pem|$PEBBLE_MGMT/roots/0|g" \
        -e "s|\[::\]:80|127.0.0.1:$HTTP01_PORT|g" \
        -e "s|/etc/ssl/lacme|$T/ssl|g" \
        -e "s|/var/lib/lacme-accountd|$T/var/lib/lacme-accountd|g" \
        -e "s|/var/lib/softhsm/tokens|$T/softhsm-tokens|g" \
        -e "s|_lacme-accountd|nobody|g"
}

# run_guide GUIDE: runs it in $T/work; its output in $T/GUIDE.log.
run_guide() {
    guide_script "$1" >"$T/$1.sh"
    grep -q . "$T/$1.sh" || t_fail "no guide-test block in doc/$1"
    (cd "$T/work" && bash -eu -o pipefail "$T/$1.sh") >"$T/$1.log" 2>&1 ||
        t_fail "doc/$1's commands failed: $(tail -20 "$T/$1.log")"
}
mkdir -p "$T/work"

run_guide quick-start.md
log="$T/quick-start.md.log"
t_verify_chain "$T/ssl/www.pem" www.example.org example.org
[ "$(grep -c 'www: issued\|www.*issued' "$log")" -ge 3 ] || t_fail "quick-start.md: not three issuances: $(cat "$log")"
grep -q 'lacme exit status 0: {"sections":\[{.*"status":"skipped"' "$log" || t_fail "quick-start.md: no --json summary: $(cat "$log")"
grep -q "Account key changed" "$log" || t_fail "quick-start.md: no rollover: $(cat "$log")"
grep -q '^privkey = pkcs11:' /etc/lacme/lacme-accountd.conf || t_fail "quick-start.md: accountd does not use the token key"
t_pass "quick-start.md: file key, registration, issuance, renewal, --json, rollover onto a token, EAB, as written"
run_guide quick-start.md
t_pass "quick-start.md: runs again on its own results"

# A host as lacme 0.8 left it: an RSA file key, its account, a certificate.
umount /etc/lacme
mkdir -p "$T/etc-lacme-0.8/lacme-certs.conf.d" "$T/softhsm-tokens" "$T/certs-0.8"
chmod 0755 "$T/etc-lacme-0.8" "$T/etc-lacme-0.8/lacme-certs.conf.d"
chmod 0770 "$T/softhsm-tokens"
mount --bind "$T/etc-lacme-0.8" /etc/lacme
mount --bind "$T/softhsm-tokens" /var/lib/softhsm/tokens
t_keygen /etc/lacme/account.key rsa2048
printf 'privkey = file:/etc/lacme/account.key\n' >/etc/lacme/lacme-accountd.conf
t_lacme_conf /etc/lacme client=/usr/libexec/lacme/client webserver=/usr/libexec/lacme/webserver users=drop \
    accountd=/usr/bin/lacme-accountd accountd_config=/etc/lacme/lacme-accountd.conf
t_certs_conf "$T/certs-0.8" www www.migrate.example.org
cp "$T/certs-0.8/certs.conf" /etc/lacme/lacme-certs.conf
lacme account --register --tos-agreed >/dev/null 2>"$T/old-account.log" || t_fail "lacme 0.8 setup: $(cat "$T/old-account.log")"
lacme newOrder >/dev/null 2>&1 || t_fail "lacme 0.8 setup: no first certificate"
old_serial=$(openssl x509 -in "$T/certs-0.8/www.pem" -noout -serial)
key_id() { grep -o 'Key ID: .*' "$1" | head -1; }

run_guide migrating-from-lacme.md
log="$T/migrating-from-lacme.md.log"
grep -q "Account key changed" "$log" || t_fail "migrating-from-lacme.md: no rollover: $(cat "$log")"
[ "$(key_id "$T/old-account.log")" = "$(grep -o 'Key ID: .*' "$log" | tail -1)" ] ||
    t_fail "migrating-from-lacme.md: not the same account after the rollover: $(cat "$log")"
grep -q '^privkey = pkcs11:' /etc/lacme/lacme-accountd.conf || t_fail "migrating-from-lacme.md: accountd still uses the file key"
[ "$(openssl x509 -in "$T/certs-0.8/www.pem" -noout -serial)" != "$old_serial" ] || t_fail "migrating-from-lacme.md: no renewal"
t_verify_chain "$T/certs-0.8/www.pem" www.migrate.example.org
sed 's|^config = .*|config = /etc/lacme/lacme-accountd.conf.file-key|' /etc/lacme/lacme.conf >"$T/old-key.conf"
t_expect_fail "migrating-from-lacme.md: the old file key has no account any more" "accountDoesNotExist|account lookup|No account" \
    lacme --config="$T/old-key.conf" account
t_pass "migrating-from-lacme.md: the lacme 0.8 file key's account moved onto a token (same account), renewed with it"
run_guide migrating-from-lacme.md
t_pass "migrating-from-lacme.md: runs again on its own results"
t_done
