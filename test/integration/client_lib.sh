# Shared helpers of the client_*.sh tests (sourced after lib.sh, not a test by itself).
#   client_direct_setup [PEBBLE VAR=VALUE...]: pebble, an account key for our accountd, and
#       $T/client.json, for tests that run our client directly the way lacme's master does.
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

client_direct_setup() {
    [ -x "$ACCOUNTD" ] || t_fail "our lacme-accountd is not built at $ACCOUNTD"
    t_pebble_up "$@"
    t_keygen "$T/account.key" p256
    printf 'privkey = file:%s\n' "$T/account.key" >"$T/accountd.conf"
    client_json "$T/client.json" server="$PEBBLE_URL" SSL_CAfile="$PEBBLE_CA" timeout=30
}

fake_ca() {
    local port=$1 mode=$2
    t_bg "$T/fake-$mode.log" python3 "$HELPER" fake-ca "$port" "$TEST_TLS_DIR/pebble.crt" "$TEST_TLS_DIR/pebble.key" "$mode"
    t_wait_for "fake CA ($mode)" bash -c "exec 3<>/dev/tcp/127.0.0.1/$port"
}
