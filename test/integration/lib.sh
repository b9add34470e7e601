# SPDX-License-Identifier: GPL-3.0-or-later
# shellcheck shell=bash
# Shared helpers for integration tests (sourced, not run). Each test gets:
#   T            a private temp dir, removed on exit (set LACME_KEEP_TEST_DIR=1 to keep it)
#   PORT0        first of 20 loopback ports reserved for this test (from ctest)
#   BUILD, SRC   build and source trees
# and every process started with t_bg is killed on exit, whatever happens.
set -euo pipefail

BUILD=${LACME_BUILD_DIR:?run through ctest (LACME_BUILD_DIR unset)}
SRC=${LACME_SOURCE_DIR:?run through ctest (LACME_SOURCE_DIR unset)}
PORT0=${LACME_TEST_BASEPORT:?run through ctest (LACME_TEST_BASEPORT unset)}
ACCOUNTD="$BUILD/accountd/lacme-accountd"
# A test that sets T_PRIVATE_MOUNTS=1 before sourcing this file runs in its own mount namespace:
# what it mounts is gone when it ends, and no other process sees it.
# T_INSTALLED_ACCOUNTD=1 adds /usr/bin/lacme-accountd being this build's there, as on a host
# with this project's lacme-accountd package: the guides' blocks and the example units naming
# that path then run as written, while the machine's Perl lacme-accountd (the other tests'
# oracle) stays in place.
if [ -n "${T_PRIVATE_MOUNTS:-}${T_INSTALLED_ACCOUNTD:-}" ] && [ -z "${_T_IN_MOUNT_NAMESPACE:-}" ]; then
    exec env _T_IN_MOUNT_NAMESPACE=1 unshare --mount --propagation private -- "$BASH" "$0" "$@"
fi
if [ -n "${T_INSTALLED_ACCOUNTD:-}" ]; then
    [ -x "$ACCOUNTD" ] || { echo "FAIL: missing $ACCOUNTD (build lacme-accountd)" >&2; exit 1; }
    mount --bind "$ACCOUNTD" /usr/bin/lacme-accountd
    ACCOUNTD=/usr/bin/lacme-accountd
fi
# pebble's TLS certificate and key (scripts/setup-test-ca; scripts/demo uses a private one).
TEST_TLS_DIR=${LACME_TEST_TLS_DIR:-/var/lib/lacme-cpp-test}
SOFTHSM_MODULE=/usr/lib/softhsm/libsofthsm2.so

T=$(mktemp -d "${TMPDIR:-/tmp}/lacme-test.XXXXXX")
chmod 0700 "$T"
_t_pids=()
_t_cleanups=()
_t_checks=0

t_cleanup() {
    local rc=$?
    local c pid
    for c in "${_t_cleanups[@]}"; do eval "$c" || true; done
    for pid in "${_t_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${_t_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    if [ "$rc" -ne 0 ]; then
        echo "--- test failed (rc=$rc); logs in $T:" >&2
        local f
        for f in "$T"/*.log "$T"/*/*.log; do
            [ -f "$f" ] || continue
            echo "--- $f (last 30 lines)" >&2
            tail -n 30 "$f" >&2
        done
    fi
    if [ -z "${LACME_KEEP_TEST_DIR:-}" ]; then rm -rf "$T"; else echo "kept $T" >&2; fi
    exit "$rc"
}
trap t_cleanup EXIT
trap 'exit 130' INT TERM

t_fail() { echo "FAIL: $*" >&2; exit 1; }
t_pass() { _t_checks=$((_t_checks + 1)); echo "ok $_t_checks - $*"; }
t_require() { command -v "$1" >/dev/null 2>&1 || t_fail "missing tool '$1' (run scripts/install-deps)"; }
# t_faketime OFFSET CMD...: CMD with its clock moved by OFFSET (libfaketime preloaded; an ASan
# build accepts a preload ahead of its runtime only when told to).
t_faketime() {
    local offset=$1; shift
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" faketime -f "$offset" "$@"
}
t_on_exit() { _t_cleanups+=("$1"); }

# t_kill_at_exit PID: kill (and reap) PID at exit, for a process started some other way than
# t_bg (e.g. a subshell that changes directory or opens fds before exec).
t_kill_at_exit() { _t_pids+=("$1"); }

# t_bg LOGFILE CMD...: run in the background, killed at exit; PID in $T_LAST_PID.
t_bg() {
    local log=$1; shift
    "$@" >"$log" 2>&1 &
    T_LAST_PID=$!
    t_kill_at_exit "$T_LAST_PID"
}

# t_wait_for DESCRIPTION CMD...: poll CMD for up to 10 s.
t_wait_for() {
    local what=$1; shift
    for _ in $(seq 100); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
    t_fail "timed out waiting for $what"
}

# t_expect_fail DESCRIPTION PATTERN CMD...: CMD must exit non-zero with PATTERN in its stderr/stdout.
t_expect_fail() {
    local what=$1 pattern=$2; shift 2
    local out rc=0
    out=$("$@" 2>&1) || rc=$?
    [ "$rc" -ne 0 ] || t_fail "$what: expected failure, got success: $out"
    grep -qE -- "$pattern" <<<"$out" || t_fail "$what: expected /$pattern/ in: $out"
    [ "$(wc -l <<<"$out")" -le 3 ] || t_fail "$what: error message is not short: $out"
    t_pass "$what"
}

# t_pebble_up [VAR=VALUE...]: starts pebble + challtestsrv on PORT0..PORT0+5 with the
# machine's test TLS certificate (trusted system-wide by scripts/setup-test-ca, because Perl's
# client trusts only the system store). Extra VAR=VALUE pairs go to pebble's environment, and
# PEBBLE_CONFIG_EXTRA (JSON members, later ones win) into its config; PEBBLE_DNSSERVER (ADDRESS:PORT)
# replaces challtestsrv as pebble's resolver (e.g. a BIND). Sets PEBBLE_URL, PEBBLE_CA, PEBBLE_ROOTS,
# HTTP01_PORT, PEBBLE_MGMT.
t_pebble_up() {
    t_require pebble; t_require pebble-challtestsrv
    [ -r "$TEST_TLS_DIR/pebble.crt" ] || t_fail "no test TLS certificate: run scripts/setup-test-ca"
    local acme=$PORT0 mgmt=$((PORT0 + 1)) dns=$((PORT0 + 2)) cmgmt=$((PORT0 + 3))
    HTTP01_PORT=$((PORT0 + 4))
    mkdir -p "$T/pebble"
    cat >"$T/pebble/pebble.json" <<JSON
{"pebble": {"listenAddress": "127.0.0.1:$acme", "managementListenAddress": "127.0.0.1:$mgmt",
 "certificate": "$TEST_TLS_DIR/pebble.crt", "privateKey": "$TEST_TLS_DIR/pebble.key",
 "httpPort": $HTTP01_PORT, "tlsPort": $((PORT0 + 5)), "ocspResponderURL": "",
 "externalAccountBindingRequired": false${PEBBLE_CONFIG_EXTRA:+, $PEBBLE_CONFIG_EXTRA}}}
JSON
    t_bg "$T/challtestsrv.log" pebble-challtestsrv -defaultIPv4 127.0.0.1 -defaultIPv6 "" -dns01 "127.0.0.1:$dns" \
        -http01 "" -https01 "" -tlsalpn01 "" -management "127.0.0.1:$cmgmt"
    t_bg "$T/pebble.log" env PEBBLE_VA_NOSLEEP=1 "$@" pebble -config "$T/pebble/pebble.json" -dnsserver "${PEBBLE_DNSSERVER:-127.0.0.1:$dns}"
    PEBBLE_URL="https://127.0.0.1:$acme/dir"
    PEBBLE_MGMT="https://127.0.0.1:$mgmt"
    PEBBLE_CA="$TEST_TLS_DIR/pebble.crt"
    t_wait_for "pebble directory" curl -fs --cacert "$PEBBLE_CA" "$PEBBLE_URL"
    curl -fs --cacert "$PEBBLE_CA" "$PEBBLE_MGMT/roots/0" >"$T/pebble/root.pem"
    curl -fs --cacert "$PEBBLE_CA" "$PEBBLE_MGMT/intermediates/0" >"$T/pebble/intermediate.pem"
    cat "$T/pebble/root.pem" "$T/pebble/intermediate.pem" >"$T/pebble/issuer-bundle.pem"
    PEBBLE_ROOTS="$T/pebble/issuer-bundle.pem"
}

# t_keygen FILE TYPE: TYPE is rsa2048, rsa4096, p256, p384, ed25519.
t_keygen() {
    local file=$1 type=$2
    case $type in
        rsa*) openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:${type#rsa}" -out "$file" 2>/dev/null ;;
        p256) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$file" 2>/dev/null ;;
        p384) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$file" 2>/dev/null ;;
        ed25519) openssl genpkey -algorithm ED25519 -out "$file" 2>/dev/null ;;
        *) t_fail "t_keygen: unknown key type $type" ;;
    esac
    chmod 0600 "$file"
}

# t_accountd_daemon ARGS...: lacme-accountd ARGS with a fresh P-256 key ($T/p256.key) on $sock
# (in a mode-0700 $T/run), logging to $T/accountd.log; its PID in $daemon.
# t_accountd_peer ARGS...: test/integration/accountd_peer.py, killed after 120 s (a hung daemon
# fails the test instead of stalling CI; exit status 124 then).
t_accountd_daemon() {
    mkdir -p "$T/run"; chmod 0700 "$T/run"
    sock="$T/run/S.lacme"
    [ -f "$T/p256.key" ] || t_keygen "$T/p256.key" p256
    t_bg "$T/accountd.log" "$ACCOUNTD" --privkey="file:$T/p256.key" --socket="$sock" "$@"
    # shellcheck disable=SC2034  # for the test that sources this file
    daemon=$T_LAST_PID
    t_wait_for "accountd socket" test -S "$sock"
}
t_accountd_peer() { timeout 120 python3 "$SRC/test/integration/accountd_peer.py" "$@"; }

# t_softhsm_conf: SoftHSM keeps its tokens in $T/softhsm (SOFTHSM2_CONF exported).
# t_softhsm_init LABEL: that and a fresh token (SO PIN 12345678, user PIN 1234).
t_softhsm_conf() {
    t_require softhsm2-util; t_require pkcs11-tool
    mkdir -p "$T/softhsm/tokens"
    echo "directories.tokendir = $T/softhsm/tokens" >"$T/softhsm/softhsm2.conf"
    export SOFTHSM2_CONF="$T/softhsm/softhsm2.conf"
}
t_softhsm_init() {
    t_softhsm_conf
    softhsm2-util --init-token --free --label "$1" --so-pin 12345678 --pin 1234 >/dev/null
}

# t_pkcs11_tool ARG...: pkcs11-tool logged in to the SoftHSM token "acme" (t_softhsm_init acme).
t_pkcs11_tool() { pkcs11-tool --module "$SOFTHSM_MODULE" --token-label acme --login --pin 1234 "$@"; }

# t_accountd_once ARG...: lacme-accountd --stdio with ARGs and no peer: it loads the key, greets
# and exits at end of input; its exit status (its greeting on stdout, errors on stderr).
t_accountd_once() { "$ACCOUNTD" --config=/dev/null "$@" --stdio </dev/null | cat; return "${PIPESTATUS[0]}"; }

# t_pkcs11_shim: $shim, the test PKCS#11 module that forwards to SoftHSM and fakes what SoftHSM
# cannot (LACME_SHIM_* variables, see test/unit/pkcs11/shim/p11_shim.cpp), and $load, the
# accountd load client.
t_pkcs11_shim() {
    [ -x "$ACCOUNTD" ] || t_fail "missing $ACCOUNTD (build lacme-accountd)"
    load="$BUILD/test/tools/accountd-load"
    [ -x "$load" ] || t_fail "missing $load (build the project first)"
    shim="$BUILD/pkcs11/liblacme_p11_test_shim.so"
    [ -f "$shim" ] || t_fail "missing $shim (build lacme_p11_test_shim)"
}

# t_lacme_conf DIR [client=CMD] [webserver=CMD] [accountd=CMD] [accountd_config=FILE]
#   [listen=ADDR] [users=keep|drop] [extra_client=LINE] [extra_webserver=LINE]: DIR/lacme.conf for a lacme master
# (Perl's or ours: same file), later arguments win. Defaults: Debian's client and webserver on
# 127.0.0.1:HTTP01_PORT, users=keep (no privilege drop: tests run as root); users=drop keeps
# lacme's _lacme-client/_lacme-www/nogroup defaults.
t_lacme_conf() {
    local dir=$1; shift
    local client=/usr/libexec/lacme/client web=/usr/libexec/lacme/webserver accountd="" accountd_config=""
    local listen="127.0.0.1:$HTTP01_PORT" users=keep extra_client="" extra_web="" arg
    for arg in "$@"; do
        case $arg in
            client=*) client=${arg#client=} ;;
            webserver=*) web=${arg#webserver=} ;;
            accountd=*) accountd=${arg#accountd=} ;;
            accountd_config=*) accountd_config=${arg#accountd_config=} ;;
            listen=*) listen=${arg#listen=} ;;
            users=*) users=${arg#users=} ;;
            extra_client=*) extra_client=${arg#extra_client=} ;;
            extra_webserver=*) extra_web=${arg#extra_webserver=} ;;
            *) t_fail "t_lacme_conf: unknown argument $arg" ;;
        esac
    done
    mkdir -p "$dir"
    {
        printf '[client]\nserver = %s\ncommand = %s\n' "$PEBBLE_URL" "$client"
        [ "$users" = drop ] || printf 'user =\ngroup =\n'
        [ -z "$extra_client" ] || printf '%s\n' "$extra_client"
        printf '[webserver]\nlisten = %s\ncommand = %s\n' "$listen" "$web"
        [ "$users" = drop ] || printf 'user =\ngroup =\n'
        [ -z "$extra_web" ] || printf '%s\n' "$extra_web"
        if [ -n "$accountd" ]; then
            printf '[accountd]\ncommand = %s\n' "$accountd"
            [ -z "$accountd_config" ] || printf 'config = %s\n' "$accountd_config"
        fi
    } >"$dir/lacme.conf"
}

# t_perl_lacme_conf DIR [ARG...]: t_lacme_conf for Debian's Perl lacme master.
t_perl_lacme_conf() { t_lacme_conf "$@"; }

# t_perl_lacme DIR ARG...: Debian's Perl lacme master with DIR/lacme.conf (our master is
# master_lib.sh's t_master; a bare `lacme` is Perl's too, as on a Debian host).
t_perl_lacme() { command lacme --config="$1/lacme.conf" "${@:2}"; }

# t_perl_issue DIR NAME [ARG...]: Debian's Perl lacme, with DIR/lacme.conf (and ARGs), registers
# the account and orders a 2-name certificate for www.NAME.example.org and NAME.example.org,
# which must verify.
t_perl_issue() {
    local d=$1 name=$2
    t_perl_lacme "$d" "${@:3}" account --register --tos-agreed >"$d/register.log" 2>&1 || true
    grep -q '^Key ID: https' "$d/register.log" || t_fail "$name: registration failed: $(cat "$d/register.log")"
    t_certs_conf "$d" www "www.$name.example.org" "$name.example.org"
    t_perl_lacme "$d" "${@:3}" newOrder --config-certs="$d/certs.conf" --force >"$d/order.log" 2>&1 ||
        t_fail "$name: newOrder failed: $(cat "$d/order.log")"
    t_verify_chain "$d/www.pem" "www.$name.example.org" "$name.example.org"
}

# t_section FILE NAME KEYTYPE DOMAIN...: appends a certificate section to FILE (key generated
# beside it, chain installed as DIR/NAME.pem).
t_section() {
    local file=$1 name=$2 type=$3; shift 3
    local dir
    dir=$(dirname "$file")
    [ -f "$dir/$name.key" ] || t_keygen "$dir/$name.key" "$type"
    local san="" d
    for d in "$@"; do san="${san:+$san,}DNS:$d"; done
    cat >>"$file" <<CONF
[$name]
certificate-key = $dir/$name.key
certificate-chain = $dir/$name.pem
subject = /CN=$1
subjectAltName = $san
CAfile = $PEBBLE_ROOTS
CONF
}

# t_certs_conf DIR NAME DOMAIN...: DIR/certs.conf with the one section NAME (a P-256 key).
t_certs_conf() {
    local dir=$1 name=$2; shift 2
    : >"$dir/certs.conf"
    t_section "$dir/certs.conf" "$name" p256 "$@"
}

# t_verify_chain CHAIN DOMAIN...: the chain verifies against pebble's roots and names the domains.
t_verify_chain() {
    local chain=$1; shift
    [ -s "$chain" ] || t_fail "no certificate chain at $chain"
    openssl verify -CAfile "$T/pebble/root.pem" -untrusted "$chain" "$chain" >/dev/null 2>&1 ||
        t_fail "chain $chain does not verify against pebble's root"
    local text d
    text=$(openssl x509 -in "$chain" -noout -ext subjectAltName 2>/dev/null)
    for d in "$@"; do grep -q "DNS:$d" <<<"$text" || t_fail "$chain lacks DNS:$d"; done
}

# t_done: closing line for ctest logs; a test that ran no check fails.
t_done() {
    [ "$_t_checks" -gt 0 ] || t_fail "no check ran"
    echo "$_t_checks passed, 0 failed"
}

# t_unit_value UNIT_FILE KEY: the value of KEY= in a systemd unit file (one line, as ours are).
# t_unit_caps UNIT_FILE: its CapabilityBoundingSet as a setpriv list (CAP_CHOWN -> +chown).
t_unit_value() { sed -n "s/^$2=//p" "$1"; }
t_unit_caps() { t_unit_value "$1" CapabilityBoundingSet | tr 'A-Z ' 'a-z\n' | sed 's/^cap_/+/' | paste -sd,; }

# t_relay_signer DIR KEY: a signer in DIR for the relay tests: DIR/run (0700), KEY (P-256),
# DIR/lacme-accountd.conf signing with it, logging to DIR/accountd.log, with the relay socket
# DIR/run/relay.sock and one listener, web1, whose policy (DIR/web1.policy) allows
# web1.example.org from https://ca.example/.
t_relay_signer() {
    mkdir -p "$1/run"
    chmod 0700 "$1" "$1/run"
    t_keygen "$2" p256
    printf '[policy]\nlabel = web1\nca = https://ca.example/\nidentifiers = web1.example.org\n' >"$1/web1.policy"
    printf 'privkey = file:%s\nlogfile = %s/accountd.log\nrelay-socket = %s/run/relay.sock\n\n[listener web1]\npolicy = %s/web1.policy\n' \
        "$2" "$1" "$1" "$1" >"$1/lacme-accountd.conf"
}
