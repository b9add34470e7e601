# SPDX-License-Identifier: GPL-3.0-or-later
# shellcheck shell=bash
# Shared helpers of the client_*.sh tests (sourced after lib.sh, not a test by itself).
#   client_accountd_key: $T/account.key (P-256) and $T/accountd.conf for our accountd.
#   client_direct_setup [PEBBLE VAR=VALUE...]: pebble, client_accountd_key and $T/client.json,
#       for tests that run our client directly the way lacme's master does.
#   client_order_ca_setup: for orders at client_helper.py's fake CA (order mode): the account
#       key, an empty $T/www for challenge files, $T/service.key and a CSR $T/wait.csr.
#   client_json FILE KEY=VALUE...: a [client] section as lacme's master hands it over.
#   run CONFIG ACCOUNTD_CONF COMMAND ARGS...: our client with CONFIG_FD/SOCKET_FD (our accountd).
#   client COMMAND ARGS...: run with $T/client.json and $T/accountd.conf.
#   fake_ca PORT MODE: client_helper.py's fake CA in the background (log $T/fake-MODE.log).
#   client_pairing_scenario: the shared body of client_perl_master.sh/client_ours_accountd.sh.
t_require python3; t_require openssl
CLIENT="$BUILD/client/client"
HELPER="$SRC/test/integration/client_helper.py"
[ -x "$CLIENT" ] || t_fail "client not built at $CLIENT"

client_json() {
    local file=$1; shift
    python3 -c 'import json,sys; print(json.dumps(dict(a.split("=",1) for a in sys.argv[1:])))' "$@" >"$file"
}
run() {
    local config=$1 aconf=$2; shift 2
    python3 "$HELPER" run --accountd "$ACCOUNTD --quiet --config=$aconf" --config "$config" -- "$CLIENT" "$@"
}
client() { run "$T/client.json" "$T/accountd.conf" "$@"; }

client_accountd_key() {
    [ -x "$ACCOUNTD" ] || t_fail "our lacme-accountd is not built at $ACCOUNTD"
    t_keygen "$T/account.key" p256
    printf 'privkey = file:%s\n' "$T/account.key" >"$T/accountd.conf"
}

client_direct_setup() {
    t_pebble_up "$@"
    client_accountd_key
    client_json "$T/client.json" server="$PEBBLE_URL" SSL_CAfile="$PEBBLE_CA" timeout=30
}

client_order_ca_setup() {
    client_accountd_key
    mkdir "$T/www"
    t_keygen "$T/service.key" p256
    openssl req -new -key "$T/service.key" -subj "/CN=wait.example" -outform DER -out "$T/wait.csr" 2>/dev/null
}

fake_ca() {
    local port=$1 mode=$2
    t_bg "$T/fake-$mode.log" python3 "$HELPER" fake-ca "$port" "$TEST_TLS_DIR/pebble.crt" "$TEST_TLS_DIR/pebble.key" "$mode"
    t_wait_for "fake CA ($mode)" bash -c "exec 3<>/dev/tcp/127.0.0.1/$port"
}

# client_pairing_scenario ACCOUNTD_CMD KEY_TYPE: Debian's Perl lacme master + OUR client + the
# accountd ACCOUNTD_CMD with an account key of type KEY_TYPE, against pebble at its default 5%
# nonce rejection: register (twice: no empty update on an existing account), update contacts,
# 1-name and 3-name certificates, revocation by account key and by certificate key, deactivation.
client_pairing_scenario() {
    local ACCOUNTD_CMD=$1 ACCOUNT_KEY_TYPE=$2
    t_require lacme; t_require openssl

    t_pebble_up
    t_keygen "$T/account.key" "$ACCOUNT_KEY_TYPE"
    printf 'privkey = file:%s\n' "$T/account.key" >"$T/accountd.conf"
    t_perl_lacme_conf "$T/conf" client="$CLIENT" accountd="$ACCOUNTD_CMD" accountd_config="$T/accountd.conf"
    # expect_client_error DESCRIPTION PATTERN CMD...: fails, and our client's own message is the one
    # line "Error: ...PATTERN..." (the Perl master adds its own lines around it).
    expect_client_error() {
        local what=$1 pattern=$2 out rc=0; shift 2
        out=$("$@" 2>&1) || rc=$?
        [ "$rc" -ne 0 ] || t_fail "$what: expected failure: $out"
        grep -qE -- "^Error: .*($pattern)" <<<"$out" || t_fail "$what: expected one 'Error: ...$pattern' line in: $out"
        t_pass "$what"
    }

    t_perl_lacme "$T/conf" account --register --tos-agreed mailto:a@example.org >"$T/account.json" 2>"$T/register.log" ||
        t_fail "register: $(cat "$T/register.log")"
    grep -q '"status":"valid"' "$T/account.json" || t_fail "register printed no valid account: $(cat "$T/account.json")"
    grep -q 'mailto:a@example.org' "$T/account.json" || t_fail "contact not registered"
    t_pass "account --register --tos-agreed prints the new account"

    t_perl_lacme "$T/conf" account --register --tos-agreed >"$T/again.json" 2>"$T/again.log" ||
        t_fail "second register of the same key: $(cat "$T/again.log")"
    grep -q 'mailto:a@example.org' "$T/again.json" || t_fail "existing account lost its contact: $(cat "$T/again.json")"
    t_pass "account --register on an existing account succeeds without an empty update"

    t_perl_lacme "$T/conf" account mailto:b@example.org >"$T/update.json" 2>"$T/update.log" || t_fail "update: $(cat "$T/update.log")"
    grep -q 'mailto:b@example.org' "$T/update.json" || t_fail "contact not updated: $(cat "$T/update.json")"
    t_pass "account CONTACT updates the contacts"

    t_perl_lacme "$T/conf" account >"$T/show.json" 2>/dev/null || t_fail "account (show) failed"
    grep -q 'mailto:b@example.org' "$T/show.json" || t_fail "account shows stale contacts"
    t_pass "account without arguments prints the account"

    t_certs_conf "$T/conf" one one.example.org
    t_perl_lacme "$T/conf" newOrder --config-certs="$T/conf/certs.conf" --force 2>"$T/one.log" || t_fail "1-name issuance: $(cat "$T/one.log")"
    t_verify_chain "$T/conf/one.pem" one.example.org
    t_pass "1-name certificate issued and verified"

    mkdir -p "$T/three"
    cp "$T/conf/lacme.conf" "$T/three/"
    t_certs_conf "$T/three" three a.example.org b.example.org c.example.org
    t_perl_lacme "$T/conf" newOrder --config-certs="$T/three/certs.conf" --force 2>"$T/three.log" || t_fail "3-name issuance: $(cat "$T/three.log")"
    t_verify_chain "$T/three/three.pem" a.example.org b.example.org c.example.org
    t_pass "3-name certificate issued and verified"

    t_perl_lacme "$T/conf" revokeCert "$T/conf/one.pem" 2>"$T/revoke.log" || t_fail "revoke by account key: $(cat "$T/revoke.log")"
    expect_client_error "revoking twice reports the CA's alreadyRevoked" "alreadyRevoked" t_perl_lacme "$T/conf" revokeCert "$T/conf/one.pem"
    t_pass "revokeCert with the account key"

    # Revocation by the certificate's own key (Perl accountd holds only RSA keys).
    mkdir -p "$T/bykey"
    t_keygen "$T/bykey/rsa.key" "$ACCOUNT_KEY_TYPE"
    cp "$T/conf/lacme.conf" "$T/bykey/"
    t_certs_conf "$T/bykey" rsa rsa.example.org
    t_perl_lacme "$T/conf" newOrder --config-certs="$T/bykey/certs.conf" --force 2>"$T/rsa.log" || t_fail "rsa issuance: $(cat "$T/rsa.log")"
    t_verify_chain "$T/bykey/rsa.pem" rsa.example.org
    printf 'privkey = file:%s\n' "$T/bykey/rsa.key" >"$T/bykey/accountd.conf"
    t_perl_lacme_conf "$T/bykey-conf" client="$CLIENT" accountd="$ACCOUNTD_CMD" accountd_config="$T/bykey/accountd.conf"
    t_perl_lacme "$T/bykey-conf" revokeCert "$T/bykey/rsa.pem" 2>"$T/revoke-key.log" ||
        t_fail "revoke by certificate key: $(cat "$T/revoke-key.log")"
    t_pass "revokeCert signed by the certificate's key (jwk)"

    t_perl_lacme "$T/conf" account --deactivate >"$T/deact.json" 2>"$T/deact.log" || t_fail "deactivate: $(cat "$T/deact.log")"
    grep -q '"status":"deactivated"' "$T/deact.json" || t_fail "account not deactivated: $(cat "$T/deact.json")"
    expect_client_error "a deactivated account can't order" "unauthorized|deactivated" \
        t_perl_lacme "$T/conf" newOrder --config-certs="$T/conf/certs.conf" --force
    t_done
}
