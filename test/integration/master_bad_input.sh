#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Our master's newOrder on bad input (cases not covered by the other master_* tests): unknown key
# and unknown section in the certificate config, a key file that does not parse or is a
# directory, a missing or wrong CAfile
# (verification fails), a target dir that cannot be written, an unknown chown user, an invalid
# subject, a missing system user. Each: exit 2 (configuration) or 1 (the section failed), one
# line naming the cause, and nothing installed (an existing certificate left byte-identical).
# What can be known before ordering (all but the wrong CAfile) fails before: no POST reaches
# pebble.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
t_master_up
t_master_file_account
mkdir -p "$T/target"
t_keygen "$T/target/www.key" p256
good="$T/conf/good.conf"
cat >"$good" <<CONF
[www]
certificate-key = $T/target/www.key
certificate-chain = $T/target/www.pem
subject = /CN=www.example.org
subjectAltName = DNS:www.example.org
CAfile = $PEBBLE_ROOTS
CONF

# expect_error DESCRIPTION RC PATTERN CERTS_CONF [NEWORDER_ARG...]: newOrder exits RC (a regex),
# exactly one line of its output matches PATTERN, at most two lines speak of an error or a
# failure (the cause, and a summary), the target dir is unchanged, and pebble saw no POST (unless
# ORDERED=yes: the failure comes after issuance).
expect_error() {
    local what=$1 want=$2 pattern=$3 conf=$4; shift 4
    local before rc=0 posts
    before=$(ls -A --full-time "$T/target"; cat "$T"/target/*)
    posts=$(grep -c POST "$T/pebble.log" || true)
    t_master newOrder --config-certs="$conf" "$@" >"$T/out.log" 2>&1 || rc=$?
    [[ $rc =~ ^($want)$ ]] || t_fail "$what: exit $rc, expected $want: $(cat "$T/out.log")"
    [ "$(grep -cE -- "$pattern" "$T/out.log")" -eq 1 ] || t_fail "$what: not one line /$pattern/ in: $(cat "$T/out.log")"
    [ "$(grep -ciE 'error|failed' "$T/out.log")" -le 2 ] || t_fail "$what: error told more than once: $(cat "$T/out.log")"
    [ "$(ls -A --full-time "$T/target"; cat "$T"/target/*)" = "$before" ] || t_fail "$what: the target dir changed"
    [ "${ORDERED:-no}" = yes ] || [ "$(grep -c POST "$T/pebble.log" || true)" = "$posts" ] ||
        t_fail "$what: the CA was contacted before the failure"
    t_pass "$what"
}
# variant SED_SCRIPT: the good config edited, written to $T/conf/bad.conf.
variant() { sed "$1" "$good" >"$T/conf/bad.conf"; }

variant 's/^subject = /subjekt = /'
expect_error "unknown key: exit 2 naming file, line and key" 2 "bad.conf.*:4.*subjekt" "$T/conf/bad.conf" --force
{ cat "$good"; printf '[other]\nno-such-key = 1\n'; } >"$T/conf/bad.conf"
expect_error "unknown key in a second section: exit 2 naming it" 2 "bad.conf.*no-such-key" "$T/conf/bad.conf" --force

echo "not a key" >"$T/garbage.key"
variant "s|^certificate-key = .*|certificate-key = $T/garbage.key|"
expect_error "key file that does not parse: exit 1 naming it" 1 "\[www\].*garbage.key" "$T/conf/bad.conf" --force
mkdir "$T/dir.key"
variant "s|^certificate-key = .*|certificate-key = $T/dir.key|"
expect_error "key path that is a directory: exit 1 naming it" 1 "\[www\].*dir.key" "$T/conf/bad.conf" --force

variant "s|^subject = .*|subject = CN=no-leading-slash|"
expect_error "invalid subject: exit 1 naming it" 1 "\[www\] FAILED: .*subject must have the form" "$T/conf/bad.conf" --force

variant "s|^CAfile = .*|CAfile = $T/missing-ca.pem|"
expect_error "missing CAfile: exit 1 naming it before ordering" 1 "\[www\].*missing-ca.pem" "$T/conf/bad.conf" --force
{ cat "$good"; echo "chown = no-such-user-lacme:root"; } >"$T/conf/bad.conf"
expect_error "unknown chown user: exit 1 naming it before ordering" 1 "\[www\] FAILED: .*unknown user no-such-user-lacme" \
    "$T/conf/bad.conf" --force
variant "s|^CAfile = .*|CAfile = $TEST_TLS_DIR/pebble.crt|"
ORDERED=yes expect_error "CAfile of another CA: verification fails, exit 1, nothing installed" 1 "\[www\] FAILED: certificate verification failed" "$T/conf/bad.conf" --force

variant "s|^certificate-chain = .*|certificate-chain = $T/no-such-dir/www.pem|"
expect_error "target dir missing: exit 1 naming it before ordering" 1 "\[www\].*no-such-dir" "$T/conf/bad.conf" --force
mkdir -p "$T/ro"
mount -t tmpfs -o ro,size=64k tmpfs "$T/ro" || t_fail "cannot mount a read-only tmpfs (the test needs root)"
t_on_exit "umount '$T/ro'"
variant "s|^certificate-chain = .*|certificate-chain = $T/ro/www.pem|"
expect_error "read-only target dir: exit 1 naming it before ordering" 1 "\[www\] FAILED: .*ro is not writable: Read-only file system" "$T/conf/bad.conf" --force

sed 's|^\[client\]|[client]\nuser = no-such-user-lacme|' "$T/conf/lacme.conf" >"$T/conf/nouser.conf"
LACME_CONF="$T/conf/nouser.conf" expect_error "missing system user: exit 2 (configuration), one line naming it" 2 \
    "^Error: $T/conf/nouser.conf:2: \[client\] user no-such-user-lacme does not exist" "$good" --force
t_done
