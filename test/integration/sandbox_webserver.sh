#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The webserver's sandbox (webserver/sandbox_policy.cpp) stops what a hijacked webserver would
# try: open a file for writing (even in its own challenge directory), read outside it, connect
# out, exec. Each is killed with a line naming the system call, or denied (Landlock; and in the
# sanitizer build, whose runtime needs any openat, by Landlock alone); never let through. Needs
# the test-only hook (-DLACME_SANDBOX_SELFTEST=ON, common/sandbox_selftest.hpp).
source "$(dirname "$0")/lib.sh"
t_require python3
WEB="$BUILD/webserver/webserver"
[ -x "$WEB" ] || t_fail "webserver not built at $WEB"
grep -qa "sandbox selftest" "$WEB" || t_fail "$WEB was built without -DLACME_SANDBOX_SELFTEST=ON"
HERE=$(cd "$(dirname "$0")" && pwd)
WWW="$T/www"
mkdir -p "$WWW"
echo "secret" >"$T/outside"
n=0

# Starts the webserver told to try $1, waits for its verdict, stops it; prints its log.
attempt() {
    n=$((n + 1))
    local log="$T/attempt$n.log" pid rc=0
    (cd "$WWW" && LACME_SANDBOX_SELFTEST="$1" exec python3 "$HERE/webserver_listen.py" "127.0.0.1:$((PORT0 + n))" "$WEB") >"$log" 2>&1 &
    pid=$!
    t_wait_for "webserver's verdict on $1" grep -qE "sandbox selftest|forbidden system call" "$log"
    kill "$pid" 2>/dev/null || true
    wait "$pid" || rc=$?
    echo "rc=$rc"
    cat "$log"
}

# $1 action, $2 regex of the system call a kill must name.
expect_stopped() {
    local out
    out=$(attempt "$1")
    ! grep -q "ALLOWED" <<<"$out" || t_fail "$1 was let through: $out"
    if grep -q "forbidden system call" <<<"$out"; then
        grep -qE "^webserver: sandbox: forbidden system call ($2) \([0-9]+\), killed$" <<<"$out" ||
            t_fail "$1: the kill line does not name $2: $out"
        grep -q "^rc=159$" <<<"$out" || t_fail "$1: not killed by SIGSYS: $out"
        t_pass "$1: killed, the log names $(grep -oE "call [a-z0-9_]+" <<<"$out")"
    else
        grep -qE "^webserver: sandbox selftest: .*: denied \(" <<<"$out" || t_fail "$1: no verdict: $out"
        t_pass "$1: $(grep -oE "denied \(.*\)" <<<"$out")"
    fi
}

expect_stopped "write:$WWW/planted" openat
[ ! -e "$WWW/planted" ] || t_fail "the webserver created a file in its challenge directory"
expect_stopped "write:$T/planted" openat
[ ! -e "$T/planted" ] || t_fail "the webserver created a file outside its challenge directory"
expect_stopped "read:$T/outside" openat
expect_stopped "connect:127.0.0.1:$((PORT0 + 19))" socket
expect_stopped "exec:/bin/true" execve

# What it must still do: serve a challenge file (the whole protocol is webserver_protocol.sh).
printf 'tok.thumb' >"$WWW/tokOK"
out=$(attempt "read:$WWW/tokOK")
grep -q "read:$WWW/tokOK: ALLOWED" <<<"$out" || t_fail "reading a challenge file was refused: $out"
t_pass "reading a file in the challenge directory is allowed"

# --no-sandbox: loud.
n=$((n + 1))
(cd "$WWW" && exec python3 "$HERE/webserver_listen.py" "127.0.0.1:$((PORT0 + n))" "$WEB" --no-sandbox) >"$T/nosandbox.log" 2>&1 &
t_kill_at_exit $!
t_wait_for "the --no-sandbox warning" grep -q "WARNING: --no-sandbox: running WITHOUT seccomp" "$T/nosandbox.log"
t_pass "--no-sandbox warns: $(cat "$T/nosandbox.log")"
t_done
