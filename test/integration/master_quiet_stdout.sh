#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# What cron mails: our master's -q and stdout against Debian's Perl lacme 0.8 on the same files.
# newOrder prints each new certificate on stdout as lacme 0.8 does (`openssl x509 -noout
# -fingerprint -sha256 -text -certopt no_header,no_version,no_pubkey,no_sigdump`, byte for byte);
# revokeCert prints the certificate it revokes (the same without extensions); -q hides only the
# sections kept ("valid until ..., skipping" in lacme 0.8), never a renewal or notify's output.
# pebble rejects no nonce here: Perl's client does not retry badNonce.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
t_master_up PEBBLE_WFE_NONCEREJECT=0
t_master_file_account
certopt=no_header,no_version,no_pubkey,no_sigdump
# run WHO NAME ARGS...: WHO's lacme (ours or perl) with its own copy of the files; stdout, stderr
# and exit status in $T/NAME.{out,err,rc}.
run() {
    local who=$1 name=$2; shift 2
    local bin=$LACME
    [ "$who" = perl ] && bin=/usr/sbin/lacme
    local rc=0
    "$bin" --config="$T/conf/lacme.conf" "$@" >"$T/$name.out" 2>"$T/$name.err" || rc=$?
    echo $rc >"$T/$name.rc"
}
expected_text() { openssl x509 -in "$1" -noout -fingerprint -sha256 -text -certopt "$certopt${2:+,$2}"; }

for who in perl ours; do
    mkdir -p "$T/$who"
    : >"$T/$who/certs.conf"
    t_section "$T/$who/certs.conf" www p256 www.example.org
    printf 'notify = echo notified-%s\n' "$who" >>"$T/$who/certs.conf"
    run "$who" "$who-new" -q newOrder --config-certs="$T/$who/certs.conf"
    [ "$(cat "$T/$who-new.rc")" = 0 ] || t_fail "$who: newOrder -q: $(cat "$T/$who-new.err")"
    # lacme 0.8's notify writes on lacme's stdout; ours logs it on stderr, "[notify] "-prefixed.
    [ "$(grep -v "^notified-$who" "$T/$who-new.out")" = "$(expected_text "$T/$who/www.pem")" ] ||
        t_fail "$who: stdout is not the new certificate's text: $(cat "$T/$who-new.out")"
    grep -q "notified-$who" "$T/$who-new.err" "$T/$who-new.out" || t_fail "$who: -q hid notify's output"
    grep -q "Running notification command" "$T/$who-new.err" || t_fail "$who: -q hid the notify command"
    t_pass "$who: newOrder -q prints the new certificate on stdout and shows the renewal and notify"

    run "$who" "$who-kept" -q newOrder --config-certs="$T/$who/certs.conf"
    [ "$(cat "$T/$who-kept.rc")" = 0 ] && [ ! -s "$T/$who-kept.out" ] && [ ! -s "$T/$who-kept.err" ] ||
        t_fail "$who: newOrder -q with nothing to renew is not silent: $(cat "$T/$who-kept.out" "$T/$who-kept.err")"
    run "$who" "$who-kept-loud" newOrder --config-certs="$T/$who/certs.conf"
    grep -qi "\[www\].*\(valid until\|skipped\)" "$T/$who-kept-loud.err" || t_fail "$who: without -q the kept section is not shown"
    t_pass "$who: -q hides only the kept sections"
done
grep -q "^\[www\] issued" "$T/ours-new.err" || t_fail "ours: -q hid the issued line: $(cat "$T/ours-new.err")"

run ours revoke revokeCert "$T/ours/www.pem"
[ "$(cat "$T/revoke.rc")" = 0 ] || t_fail "revokeCert: $(cat "$T/revoke.err")"
[ "$(cat "$T/revoke.out")" = "$(expected_text "$T/ours/www.pem" no_extensions)" ] ||
    t_fail "revokeCert's stdout is not lacme 0.8's: $(cat "$T/revoke.out")"
grep -q "^Revoking $T/ours/www.pem" "$T/revoke.err" || t_fail "revokeCert does not say what it revokes"
t_pass "revokeCert prints the revoked certificate as lacme 0.8"

run ours json --json newOrder --force --config-certs="$T/ours/certs.conf"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/json.out" ||
    t_fail "--json stdout is not one JSON document: $(cat "$T/json.out")"
t_pass "--json keeps stdout for the JSON summary"
t_done
