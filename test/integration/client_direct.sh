#!/usr/bin/env bash
# Our client invoked directly, the way lacme's master does (CONFIG_FD, SOCKET_FD to our
# accountd), for what Perl's master can't pass: SSL_CAfile, preferred-chain, IP identifiers, key
# rollover, renewal-info. Plus the error paths: wrong trust, unreachable CA, junk/HTML/huge
# answers, timeout, a challenge that fails, each as one readable line.
source "$(dirname "$0")/lib.sh"
t_require python3; t_require openssl
CLIENT="$BUILD/client/client"
HELPER="$(cd "$(dirname "$0")" && pwd)/client_helper.py"
[ -x "$CLIENT" ] || t_fail "client not built at $CLIENT"
[ -x "$ACCOUNTD" ] || t_fail "our lacme-accountd is not built at $ACCOUNTD"

t_pebble_up PEBBLE_ALTERNATE_ROOTS=1
t_keygen "$T/account.key" p256
printf 'privkey = file:%s\n' "$T/account.key" >"$T/accountd.conf"

# client_json FILE KEY=VALUE...: a [client] section as lacme's master hands it over.
client_json() {
    local file=$1; shift
    python3 -c 'import json,sys; print(json.dumps(dict(a.split("=",1) for a in sys.argv[1:])))' "$@" >"$file"
}
client_json "$T/client.json" server="$PEBBLE_URL" SSL_CAfile="$PEBBLE_CA" timeout=30
# run CONFIG ACCOUNTD_CONF COMMAND ARGS...
run() {
    local config=$1 aconf=$2; shift 2
    python3 "$HELPER" run --accountd "$ACCOUNTD --quiet --config=$aconf" --config "$config" -- "$CLIENT" "$@"
}
client() { run "$T/client.json" "$T/accountd.conf" "$@"; }

# --- TLS to the CA -----------------------------------------------------------------------------
client account 3 mailto:direct@example.org >"$T/account.json" 2>"$T/account.log" ||
    t_fail "register with SSL_CAfile: $(cat "$T/account.log")"
grep -q '"status":"valid"' "$T/account.json" || t_fail "no account printed: $(cat "$T/account.json")"
t_pass "register with SSL_CAfile pointing at the CA's TLS certificate"

# pebble's TLS certificate is in the system store too: a CAfile that lacks it must still fail.
client_json "$T/wrongca.json" server="$PEBBLE_URL" SSL_CAfile="$T/pebble/root.pem"
start=$(date +%s)
t_expect_fail "SSL_CAfile replaces the system store (wrong CA refused)" "SSL|certificate" \
    run "$T/wrongca.json" "$T/accountd.conf" account 0
[ $(($(date +%s) - start)) -le 2 ] || t_fail "a TLS verification failure was retried like a network error"
client_json "$T/noverify.json" server="$PEBBLE_URL" SSL_CAfile="$T/pebble/root.pem" SSL_verify=No
run "$T/noverify.json" "$T/accountd.conf" account 0 >/dev/null 2>"$T/noverify.log" ||
    t_fail "SSL_verify = No: $(cat "$T/noverify.log")"
t_pass "SSL_verify = No accepts an untrusted CA certificate"
client_json "$T/tls11.json" server="$PEBBLE_URL" SSL_version=TLSv1_1
t_expect_fail "SSL_version = TLSv1_1 is honoured (pebble needs TLS 1.2+)" "SSL|TLS|version|protocol" \
    run "$T/tls11.json" "$T/accountd.conf" account 0
client_json "$T/tls12.json" server="$PEBBLE_URL" SSL_version='SSLv23:!TLSv1:!TLSv1_1' SSL_cipher_list='ECDHE+AESGCM'
run "$T/tls12.json" "$T/accountd.conf" account 0 >/dev/null 2>"$T/tls12.log" || t_fail "SSL_version/SSL_cipher_list: $(cat "$T/tls12.log")"
t_pass "SSL_version and SSL_cipher_list in lacme's syntax"
client_json "$T/badcipher.json" server="$PEBBLE_URL" SSL_cipher_list='NO-SUCH-CIPHER'
t_expect_fail "an unusable SSL_cipher_list is an error" "cipher|SSL" run "$T/badcipher.json" "$T/accountd.conf" account 0

# --- the CA misbehaving --------------------------------------------------------------------------
client_json "$T/down.json" server="https://127.0.0.1:$((PORT0 + 10))/dir" timeout=4
t_expect_fail "CA unreachable" "connect|refused" run "$T/down.json" "$T/accountd.conf" account 0
for mode in junk html huge slow; do
    port=$((PORT0 + 11))
    python3 "$HELPER" fake-ca "$port" "$TEST_TLS_DIR/pebble.crt" "$TEST_TLS_DIR/pebble.key" "$mode" 2>"$T/fake-$mode.log" &
    fake_pid=$!
    t_wait_for "fake CA ($mode)" bash -c "exec 3<>/dev/tcp/127.0.0.1/$port"
    client_json "$T/$mode.json" server="https://127.0.0.1:$port/dir" SSL_CAfile="$PEBBLE_CA" timeout=3
    case $mode in
        junk) pattern="not a JSON object" ;;
        html) pattern="HTTP 502 \(text/html response\)" ;;
        huge) pattern="exceeds [0-9]+ bytes" ;;
        slow) pattern="[Tt]imeout|timed out" ;;
    esac
    start=$(date +%s)
    t_expect_fail "CA answers $mode" "$pattern" run "$T/$mode.json" "$T/accountd.conf" account 0
    [ $(($(date +%s) - start)) -lt 15 ] || t_fail "$mode: the client took $(($(date +%s) - start)) s with timeout = 3"
    kill "$fake_pid"; wait "$fake_pid" 2>/dev/null || true
done

# 5xx with Retry-After and an HTML 500 are retried (bounded, honouring the delay), then the
# CA's final problem is reported.
port=$((PORT0 + 13))
t_bg "$T/fake-flaky.log" python3 "$HELPER" fake-ca "$port" "$TEST_TLS_DIR/pebble.crt" "$TEST_TLS_DIR/pebble.key" flaky
t_wait_for "flaky fake CA" bash -c "exec 3<>/dev/tcp/127.0.0.1/$port"
client_json "$T/flaky.json" server="https://127.0.0.1:$port/dir" SSL_CAfile="$PEBBLE_CA"
start=$(date +%s)
t_expect_fail "5xx retried, then the CA's problem in one line" "account lookup: HTTP 400 accountDoesNotExist: no account for this key" \
    run "$T/flaky.json" "$T/accountd.conf" account 0
elapsed=$(($(date +%s) - start))
[ "$(grep -c 'GET /dir' "$T/fake-flaky.log")" -eq 3 ] || t_fail "directory fetched $(grep -c 'GET /dir' "$T/fake-flaky.log") times, want 3"
[ "$(grep -c 'POST /acct' "$T/fake-flaky.log")" -eq 2 ] || t_fail "newAccount sent $(grep -c 'POST /acct' "$T/fake-flaky.log") times, want 2"
[ "$elapsed" -ge 2 ] || t_fail "Retry-After: 1 (twice) not honoured: done in $elapsed s"
t_pass "Retry-After honoured on 503, HTML 500 retried once ($elapsed s)"

# An order that never gets ready: polled after each Retry-After (no hot loop) until `timeout`.
port=$((PORT0 + 14))
t_bg "$T/fake-stuck.log" python3 "$HELPER" fake-ca "$port" "$TEST_TLS_DIR/pebble.crt" "$TEST_TLS_DIR/pebble.key" stuck
t_wait_for "stuck fake CA" bash -c "exec 3<>/dev/tcp/127.0.0.1/$port"
client_json "$T/stuck.json" server="https://127.0.0.1:$port/dir" SSL_CAfile="$PEBBLE_CA" timeout=4
start=$(date +%s)
t_expect_fail "an order that stays pending ends at the timeout" "[Tt]imeout exceeded.*stuck.example" \
    run "$T/stuck.json" "$T/accountd.conf" newOrder stuck.example <"$T/account.json"
elapsed=$(($(date +%s) - start))
polls=$(grep -c 'POST /order/1' "$T/fake-stuck.log")
[ "$elapsed" -ge 3 ] && [ "$elapsed" -le 8 ] || t_fail "timeout = 4 ended after $elapsed s"
[ "$polls" -ge 2 ] && [ "$polls" -le 5 ] || t_fail "$polls polls in $elapsed s with Retry-After: 1"
t_pass "pending order: $polls polls honouring Retry-After, gave up after $elapsed s (timeout = 4)"

# --- orders: IP identifier, challenge files, preferred chain -------------------------------------
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

# --- ARI (pebble 2.4 has none: a fake directory) -----------------------------------------------
port=$((PORT0 + 12))
ARI_LOG="$T/ari.log" ORDER_LOG="$T/orders.log" t_bg "$T/fake-ari.log" python3 "$HELPER" fake-ca "$port" "$TEST_TLS_DIR/pebble.crt" "$TEST_TLS_DIR/pebble.key" ari
t_wait_for "fake ARI CA" bash -c "exec 3<>/dev/tcp/127.0.0.1/$port"
client_json "$T/ari.json" server="https://127.0.0.1:$port/dir" SSL_CAfile="$PEBBLE_CA"
openssl x509 -in "$T/ip.pem" -outform DER -out "$T/ip.der"
run "$T/ari.json" "$T/accountd.conf" renewal-info <"$T/ip.der" >"$T/window.json" 2>"$T/ari-client.log" ||
    t_fail "renewal-info: $(cat "$T/ari-client.log")"
grep -q '"start":"2030-01-01T00:00:00Z"' "$T/window.json" || t_fail "no window printed: $(cat "$T/window.json")"
b64url() { xxd -r -p | base64 -w0 | tr '+/' '-_' | tr -d '='; }
aki=$(openssl x509 -in "$T/ip.pem" -noout -ext authorityKeyIdentifier | grep -oE '([0-9A-F]{2}:)+[0-9A-F]{2}' | head -1 | tr -d ':')
serial=$(openssl x509 -in "$T/ip.pem" -noout -serial | cut -d= -f2)
[ $((${#serial} % 2)) -eq 0 ] || serial="0$serial"
case ${serial:0:1} in [89A-F]) serial="00$serial" ;; esac
[ "$(cat "$T/ari.log")" = "$(printf %s "$aki" | b64url).$(printf %s "$serial" | b64url)" ] ||
    t_fail "ARI certID $(cat "$T/ari.log") != expected"
t_pass "renewal-info fetches renewalInfo/CERTID (RFC 9773) and prints the window"
ORDER_LOG="$T/orders.log"; touch "$ORDER_LOG"
t_expect_fail "newOrder at the fake ARI CA fails with its problem" "this fake CA issues nothing" \
    run "$T/ari.json" "$T/accountd.conf" newOrder --replaces="$(cat "$T/ari.log")" renew.example.org <"$T/ip.csr"
grep -q "\"replaces\":\"$(cat "$T/ari.log")\"" "$ORDER_LOG" || t_fail "newOrder lacks replaces: $(cat "$ORDER_LOG")"
t_pass "newOrder --replaces sends the ARI certificate identifier when the CA has renewalInfo"
t_expect_fail "renewal-info at a CA without ARI" "no 'renewalInfo'" client renewal-info <"$T/ip.der"

# --- key rollover, then issuance with the new key; deactivation ---------------------------------
t_keygen "$T/new.key" p256
printf 'privkey = file:%s\n' "$T/new.key" >"$T/accountd-new.conf"
mkdir -m 0700 "$T/sock"
t_bg "$T/accountd-new.log" "$ACCOUNTD" --config="$T/accountd-new.conf" --socket="$T/sock/S.new"
t_wait_for "new-key accountd socket" test -S "$T/sock/S.new"
client account 0 --new-key-socket="$T/sock/S.new" >"$T/rolled.json" 2>"$T/rollover.log" ||
    t_fail "keyChange: $(cat "$T/rollover.log")"
t_pass "account key rollover (keyChange) to a key held by another accountd"
t_expect_fail "the old key no longer has an account" "accountDoesNotExist|account lookup" client account 0
(cd "$T/www/.well-known/acme-challenge" &&
    run "$T/client.json" "$T/accountd-new.conf" newOrder 127.0.0.1 <"$T/ip.csr" >"$T/new.pem" 2>"$T/new.log") ||
    t_fail "issuance with the new key: $(cat "$T/new.log")"
openssl verify -CAfile "$T/pebble/root.pem" -untrusted "$T/new.pem" "$T/new.pem" >/dev/null 2>&1 || t_fail "chain after rollover"
t_pass "issuance with the new account key"
run "$T/client.json" "$T/accountd-new.conf" account 4 >"$T/deact.json" 2>"$T/deact.log" || t_fail "deactivate: $(cat "$T/deact.log")"
grep -q '"status":"deactivated"' "$T/deact.json" || t_fail "not deactivated: $(cat "$T/deact.json")"
t_pass "account deactivation"
t_done
