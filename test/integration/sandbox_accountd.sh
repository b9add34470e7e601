#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# accountd's sandbox (accountd/sandbox_policy.cpp) stops what a hijacked accountd would try:
# connect out over TCP, exec, write a file outside its state directories, read a file beside its
# key (in-memory keys). Each is killed with a line naming the system call, or denied (Landlock);
# never let through. Signing still works sandboxed with a PEM key, a SoftHSM key and a TPM key
# through the tpm2 provider. Needs the test-only hook (-DLACME_SANDBOX_SELFTEST=ON,
# common/sandbox_selftest.hpp).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tpm_lib.sh"
[ -x "$ACCOUNTD" ] || t_fail "missing $ACCOUNTD (build lacme-accountd)"
grep -qa "sandbox selftest" "$ACCOUNTD" || t_fail "$ACCOUNTD was built without -DLACME_SANDBOX_SELFTEST=ON"
load="$BUILD/test/tools/accountd-load"
[ -x "$load" ] || t_fail "missing $load (build the project first)"
mkdir -p "$T/run" "$T/state"; chmod 0700 "$T/run"
t_keygen "$T/p256.key" p256
echo "secret" >"$T/outside"
printf '[policy]\nlabel = sandbox\nidentifiers = *.example.org\nmax-orders-per-hour = 3600\nstate-directory = %s\n' \
    "$T/state" >"$T/policy"
n=0

# Starts accountd on a socket (extra arguments: its key) told to try $1, waits for its verdict,
# stops it; prints its exit status and log.
attempt() {
    local action=$1; shift
    n=$((n + 1))
    local log="$T/attempt$n.log" pid rc=0
    LACME_SANDBOX_SELFTEST="$action" "$ACCOUNTD" --config=/dev/null --socket="$T/run/S$n" --policy="$T/policy" \
        --pin-state-dir="$T/pin-state" "$@" >"$log" 2>&1 &
    pid=$!
    t_wait_for "accountd's verdict on $action" grep -qE "sandbox selftest|forbidden system call" "$log"
    kill "$pid" 2>/dev/null || true
    wait "$pid" || rc=$?
    echo "rc=$rc"
    cat "$log"
}

# $1 action, $2 regex of the system call a kill must name, then the key arguments ($key names it).
expect_stopped() {
    local action=$1 call=$2 out; shift 2
    out=$(attempt "$action" "$@")
    ! grep -q "ALLOWED" <<<"$out" || t_fail "$action was let through: $out"
    if grep -q "forbidden system call" <<<"$out"; then
        grep -qE "^lacme-accountd: sandbox: forbidden system call ($call) \([0-9]+\), killed$" <<<"$out" ||
            t_fail "$action: the kill line does not name $call: $out"
        grep -q "^rc=159$" <<<"$out" || t_fail "$action: not killed by SIGSYS: $out"
        t_pass "$key key, $action: killed, the log names $(grep -oE "call [a-z0-9_]+" <<<"$out")"
    else
        grep -qE "^lacme-accountd: sandbox selftest: .*: denied \(" <<<"$out" || t_fail "$action: no verdict: $out"
        t_pass "$key key, $action: $(grep -oE "denied \(.*\)" <<<"$out")"
    fi
}

expect_allowed() {
    local action=$1 out; shift
    out=$(attempt "$action" "$@")
    grep -q "sandbox selftest: $action: ALLOWED" <<<"$out" || t_fail "$action was refused: $out"
    t_pass "$key key, $action: allowed"
}

key=PEM
pem="--privkey=file:$T/p256.key"
expect_stopped "connect:127.0.0.1:$((PORT0 + 19))" socket "$pem"
expect_stopped "exec:/bin/true" execve "$pem"
expect_stopped "write:$T/planted" openat "$pem"
[ ! -e "$T/planted" ] || t_fail "accountd created a file outside its state directories"
expect_stopped "write:$T/run/planted" openat "$pem"
[ ! -e "$T/run/planted" ] || t_fail "accountd created a file in its socket's directory"
expect_stopped "read:$T/outside" openat "$pem"
expect_stopped "read:$T/p256.key" openat "$pem"
expect_allowed "write:$T/state/sandbox.orders" "$pem"

# A SoftHSM key: its module may read (its token directory), but still not connect over TCP,
# exec or write.
t_softhsm_init acme
pkcs11-tool --module "$SOFTHSM_MODULE" --token-label acme --login --pin 1234 --keypairgen --key-type EC:prime256v1 \
    --id 02 --label p256 >/dev/null 2>&1 || t_fail "SoftHSM key generation"
echo 1234 >"$T/pin"; chmod 0600 "$T/pin"
key=SoftHSM
hsm="--privkey=pkcs11:token=acme;object=p256?pin-source=file:$T/pin&module-path=$SOFTHSM_MODULE"
expect_stopped "connect:127.0.0.1:$((PORT0 + 19))" socket "$hsm"
expect_stopped "exec:/bin/true" execve "$hsm"
expect_stopped "write:$T/planted" openat "$hsm"
[ ! -e "$T/planted" ] || t_fail "accountd (SoftHSM key) created a file outside its state directories"
expect_allowed "write:$T/pin-state/probe" "$hsm"

# Signing, sandboxed: N connections x M signatures, every one verified against the JWK.
sign_sandboxed() {
    local name=$1 sock="$T/run/$1.sock" pid out; shift
    "$ACCOUNTD" --config=/dev/null --socket="$sock" --pin-state-dir="$T/pin-state" "$@" >"$T/$name.log" 2>&1 &
    pid=$!
    t_kill_at_exit "$pid"
    t_wait_for "accountd socket ($name)" test -S "$sock"
    # The socket is bound before the sandbox is entered (connections wait in the backlog until
    # the loop runs, sandboxed): wait for the filter rather than racing it.
    t_wait_for "accountd ($name) to enter its sandbox" \
        grep -qzE "NoNewPrivs:[[:space:]]*1.*Seccomp:[[:space:]]*2" "/proc/$pid/status"
    out=$(timeout 300 "$load" "$sock" 4 100 --verify 2>&1) || t_fail "$name: $out $(cat "$T/$name.log")"
    grep -q "signatures=400 failures=0" <<<"$out" || t_fail "$name: $out"
    kill "$pid"
    wait "$pid" || t_fail "$name: accountd did not exit cleanly: $(tail -3 "$T/$name.log")"
    [ ! -e "$sock" ] || t_fail "$name: the socket was not removed on exit"
    ! grep -q "forbidden system call" "$T/$name.log" || t_fail "$name: $(cat "$T/$name.log")"
    t_pass "$name key, sandboxed: 4 connections x 100 signatures verify, clean exit, socket removed ($out)"
}
sign_sandboxed pem "$pem" --policy="$T/policy" --audit-log="$T/audit.log"
[ "$(wc -l <"$T/state/sandbox.orders")" -ge 100 ] && [ "$(grep -c '"outcome":"signed"' "$T/audit.log")" = 400 ] ||
    t_fail "rate limit state or audit log not kept: $(wc -l "$T/state/sandbox.orders" "$T/audit.log")"
t_pass "sandboxed: the rate limit's state directory and the audit log are written"
sign_sandboxed softhsm "$hsm"
# A key that logs in for every signature: SoftHSM then writes (and truncates) its token file,
# which only the named option allows (--sandbox-write-dir).
pkcs11-tool --module "$SOFTHSM_MODULE" --token-label acme --login --pin 1234 --keypairgen --key-type EC:prime256v1 \
    --id 9c --label always --always-auth --usage-sign >/dev/null 2>&1 || t_fail "SoftHSM always-auth key generation"
always="--privkey=pkcs11:token=acme;object=always?pin-source=file:$T/pin&module-path=$SOFTHSM_MODULE"
sign_sandboxed softhsm-always-auth "$always" --sandbox-write-dir="$T/softhsm/tokens"
t_swtpm_up
t_tpm_persistent_key 0x81010002 ecc256:ecdsa
sign_sandboxed tpm2-provider --privkey=store:handle:0x81010002 --provider=tpm2

# --stdio (behind ssh -T or the master's socketpair): sandboxed too.
out=$(LACME_SANDBOX_SELFTEST=exec:/bin/true "$ACCOUNTD" --config=/dev/null --stdio "$pem" < <(sleep 1) 2>&1 | cat) || true
! grep -q "ALLOWED" <<<"$out" || t_fail "--stdio: exec was let through: $out"
grep -q "^lacme-accountd: sandbox: forbidden system call execve" <<<"$out" || t_fail "--stdio: $out"
t_pass "--stdio: exec killed"

# --no-sandbox: loud.
out=$("$ACCOUNTD" --config=/dev/null --stdio --no-sandbox "$pem" < <(:) 2>&1 | grep -v '^[0-9{]')
grep -q "^lacme-accountd: WARNING: --no-sandbox: running WITHOUT seccomp" <<<"$out" || t_fail "--no-sandbox: $out"
t_pass "--no-sandbox warns: $out"
t_done
