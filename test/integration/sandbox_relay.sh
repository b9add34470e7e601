#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `lacme-accountd --relay=NAME` (the SSH forced command of a web host, accountd/relay/) confines
# itself once connected to the daemon's relay socket (accountd/relay/relay_sandbox.cpp): it copies
# bytes between stdin/stdout and that socket, and a hijacked relay cannot open a file, connect
# out or exec: each is killed with a line naming the system call. A session through the
# sandboxed relay still gets its signature. Needs the test-only hook
# (-DLACME_SANDBOX_SELFTEST=ON, common/sandbox_selftest.hpp).
source "$(dirname "$0")/lib.sh"
[ -x "$ACCOUNTD" ] || t_fail "missing $ACCOUNTD (build lacme-accountd)"
grep -qa "sandbox selftest" "$ACCOUNTD" || t_fail "$ACCOUNTD was built without -DLACME_SANDBOX_SELFTEST=ON"
S="$T/signer"
t_relay_signer "$S" "$S/account.key"
echo "secret" >"$T/outside"
ca="https://ca.example"
t_bg "$T/daemon.out" "$ACCOUNTD" --config="$S/lacme-accountd.conf"
t_wait_for "the relay socket" test -S "$S/run/relay.sock"

relay=("$ACCOUNTD" --quiet --relay=web1 --config="$S/lacme-accountd.conf")
ask() {  # NAME: a newOrder for NAME through a relay process
    t_accountd_peer "exec:${relay[*]}" ask "$ca/new-order" kid "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"$1\"}]}"
}
out=$(ask web1.example.org 2>&1)
[ "$out" = SIGNED ] || t_fail "a session through the sandboxed relay: $out"
out=$(ask web2.example.org 2>&1)
[ "$out" = 'NOSIGN identifier dns:web2.example.org not allowed by policy "web1"' ] || t_fail "web2's name: $out"
! grep -q "forbidden system call" "$T/daemon.out" "$S/accountd.log" || t_fail "$(cat "$T/daemon.out")"
t_pass "sandboxed relay: its listener's policy signs and refuses as without it"

# $1 action, $2 the system call a kill must name. The sanitizer build allows openat for its own
# reports (common/sandbox.cpp): there Landlock denies the open instead (no path is granted).
expect_stopped() {
    local action=$1 call=$2 out rc=0
    out=$(LACME_SANDBOX_SELFTEST="$action" timeout 60 "${relay[@]}" </dev/null 2>&1) || rc=$?
    ! grep -q "ALLOWED" <<<"$out" || t_fail "$action was let through: $out"
    if grep -q "forbidden system call" <<<"$out"; then
        grep -qE "^lacme-accountd --relay: sandbox: forbidden system call $call \([0-9]+\), killed$" <<<"$out" ||
            t_fail "$action: the kill line does not name $call: $out"
        [ "$rc" = 159 ] || t_fail "$action: exit status $rc, not SIGSYS's: $out"
        t_pass "relay, $action: killed, the line names $call"
    else
        grep -qE "^lacme-accountd --relay: sandbox selftest: .*: denied \(" <<<"$out" || t_fail "$action: no verdict: $out"
        t_pass "relay, $action: $(grep -oE "denied \(.*\)" <<<"$out")"
    fi
}
expect_stopped "read:$T/outside" openat
expect_stopped "write:$T/planted" openat
[ ! -e "$T/planted" ] || t_fail "the relay created a file"
expect_stopped "connect:127.0.0.1:$((PORT0 + 19))" socket
expect_stopped "exec:/bin/true" execve

out=$("${relay[@]}" --no-sandbox </dev/null 2>&1 >/dev/null)
grep -q "^lacme-accountd --relay: WARNING: --no-sandbox: running WITHOUT seccomp" <<<"$out" ||
    t_fail "--no-sandbox: $out"
t_pass "--no-sandbox warns: $out"
t_done
