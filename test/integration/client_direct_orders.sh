#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Orders by our client invoked directly against pebble: an IP identifier (RFC 8738), challenge
# files removed afterwards, preferred-chain among Link: rel="alternate" chains, and a challenge
# that fails naming the identifier and the CA's detail.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/client_lib.sh"
client_direct_setup PEBBLE_ALTERNATE_ROOTS=1
client account 3 mailto:direct@example.org >/dev/null 2>"$T/account.log" || t_fail "register: $(cat "$T/account.log")"

mkdir -p "$T/www/.well-known/acme-challenge" "$T/elsewhere"
t_bg "$T/http01.log" python3 -m http.server --bind 127.0.0.1 --directory "$T/www" "$HTTP01_PORT"
t_wait_for "http-01 server" bash -c "exec 3<>/dev/tcp/127.0.0.1/$HTTP01_PORT"
t_keygen "$T/service.key" p256
openssl req -new -key "$T/service.key" -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
    -outform DER -out "$T/ip.csr" 2>/dev/null
(cd "$T/www/.well-known/acme-challenge" && client newOrder 127.0.0.1 <"$T/ip.csr" >"$T/ip.pem" 2>"$T/ip.log") ||
    t_fail "IP identifier order: $(cat "$T/ip.log")"
openssl verify -CAfile "$T/pebble/root.pem" -untrusted "$T/ip.pem" "$T/ip.pem" >/dev/null 2>&1 || t_fail "IP chain does not verify"
openssl x509 -in "$T/ip.pem" -noout -ext subjectAltName | grep -q "IP Address:127.0.0.1" || t_fail "no IP SAN"
t_pass "IP identifier 127.0.0.1 (RFC 8738) issued"
[ -z "$(ls -A "$T/www/.well-known/acme-challenge")" ] || t_fail "challenge files left behind"
t_pass "challenge files removed after the order"

top_issuer() { awk '/BEGIN CERT/{c=""} {c=c $0 "\n"} END{printf "%s", c}' "$1" | openssl x509 -noout -issuer -nameopt multiline | sed -n 's/^ *commonName *= //p'; }
default_root=$(top_issuer "$T/ip.pem")
alt_root=$(curl -fs --cacert "$PEBBLE_CA" "$PEBBLE_MGMT/roots/1" | openssl x509 -noout -subject -nameopt multiline | sed -n 's/^ *commonName *= //p')
[ -n "$alt_root" ] && [ "$alt_root" != "$default_root" ] || t_fail "pebble offers no alternate root ($alt_root / $default_root)"
client_json "$T/preferred.json" server="$PEBBLE_URL" SSL_CAfile="$PEBBLE_CA" preferred-chain="$alt_root"
(cd "$T/www/.well-known/acme-challenge" &&
    run "$T/preferred.json" "$T/accountd.conf" newOrder 127.0.0.1 <"$T/ip.csr" >"$T/alt.pem" 2>"$T/alt.log") ||
    t_fail "preferred-chain order: $(cat "$T/alt.log")"
[ "$(top_issuer "$T/alt.pem")" = "$alt_root" ] || t_fail "preferred chain not chosen: $(top_issuer "$T/alt.pem") != $alt_root"
t_pass "preferred-chain selects the alternate chain (Link rel=alternate)"

openssl req -new -key "$T/service.key" -subj "/CN=bad.example.org" -outform DER -out "$T/bad.csr" 2>/dev/null
in_dir() { (cd "$1" && shift && "$@"); }
t_expect_fail "a challenge that goes invalid names the identifier and the CA's detail" \
    "(order|authorization) for bad.example.org is invalid: .*(unauthorized|connection).*404" \
    in_dir "$T/elsewhere" client newOrder bad.example.org <"$T/bad.csr"
[ -z "$(ls -A "$T/elsewhere")" ] || t_fail "challenge files left behind after a failed order"

t_done
