#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The client's sandbox (client/sandbox_policy.cpp) stops what a client hijacked by a malicious
# CA would try: exec, read a file outside its trust store (/etc/shadow: the test runs as root,
# so only the sandbox stands in the way), write or create a file outside its challenge
# directory. Each is killed with a line naming the system call, or denied by Landlock (the
# sanitizer build's runtime needs any openat: there Landlock alone denies); never let through.
# What it must still do, sandboxed: issue against pebble, create challenge files, resolve the
# CA's name through glibc's resolver and a real DNS server, revoke. Needs the test-only hook
# (-DLACME_SANDBOX_SELFTEST=ON, common/sandbox_selftest.hpp).
#
# The test runs in its own network namespace (only its loopback: pebble, the http-01 server
# and a DNS server on 127.0.0.1:53) and mount namespace (its own /etc/resolv.conf).
if [ -z "${_T_IN_NET_NAMESPACE:-}" ]; then
    exec env _T_IN_NET_NAMESPACE=1 unshare --net --mount --propagation private -- "$BASH" "$0" "$@"
fi
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/client_lib.sh"
t_require ip
ip link set lo up
grep -qa "sandbox selftest" "$CLIENT" || t_fail "$CLIENT was built without -DLACME_SANDBOX_SELFTEST=ON"

client_direct_setup
client account 3 mailto:sandbox@example.org >/dev/null 2>"$T/account.log" || t_fail "register: $(cat "$T/account.log")"
WWW="$T/www"
mkdir -p "$WWW"
t_bg "$T/http01.log" python3 "$HELPER" http01 "$HTTP01_PORT" "$WWW"
http01=$T_LAST_PID
t_wait_for "http-01 server" bash -c "exec 3<>/dev/tcp/127.0.0.1/$HTTP01_PORT"
t_keygen "$T/service.key" p256
openssl req -new -key "$T/service.key" -subj "/CN=sandbox.example" -addext "subjectAltName=DNS:sandbox.example" \
    -outform DER -out "$T/order.csr" 2>/dev/null
n=0
out=""

# order CONFIG [SELFTEST]: a newOrder run in $WWW told to try SELFTEST; sets out to "rc=N" and
# its stderr; the chain goes to $T/order$n.pem.
order() {
    n=$((n + 1))
    local rc=0
    (cd "$WWW" && LACME_SANDBOX_SELFTEST="${2:-}" run "$1" "$T/accountd.conf" newOrder sandbox.example \
        <"$T/order.csr" >"$T/order$n.pem" 2>"$T/order$n.log") || rc=$?
    out="rc=$rc
$(cat "$T/order$n.log")"
}

# attempt SELFTEST: a client run (renewal-info: no accountd needed; it fails at pebble, which
# has no ARI, if it survives) told to try SELFTEST; sets out to "rc=N" and its stderr.
attempt() {
    local rc=0
    LACME_SANDBOX_SELFTEST="$1" "$CLIENT" renewal-info 3 4 3<"$T/client.json" 4</dev/null \
        <"$T/order.csr" >/dev/null 2>"$T/attempt.log" || rc=$?
    out="rc=$rc
$(cat "$T/attempt.log")"
}

# $1 action, $2 regex of the system call a kill must name.
expect_stopped() {
    attempt "$1"
    ! grep -q "ALLOWED" <<<"$out" || t_fail "$1 was let through: $out"
    if grep -q "forbidden system call" <<<"$out"; then
        grep -qE "^client: sandbox: forbidden system call ($2) \([0-9]+\), killed$" <<<"$out" ||
            t_fail "$1: the kill line does not name $2: $out"
        grep -q "^rc=159$" <<<"$out" || t_fail "$1: not killed by SIGSYS: $out"
        t_pass "$1: killed, the log names $(grep -oE "call [a-z0-9_]+" <<<"$out")"
    else
        grep -qE "^client: sandbox selftest: .*: denied \(Permission denied\)" <<<"$out" || t_fail "$1: no verdict: $out"
        t_pass "$1: $(grep -oE "denied \(.*\)" <<<"$out")"
    fi
}

expect_stopped "exec:/bin/true" execve
expect_stopped "read:/etc/shadow" openat
expect_stopped "write:$T/planted" openat
[ ! -e "$T/planted" ] || t_fail "the client wrote a file outside its challenge directory"
expect_stopped "create:$T/planted" openat
[ ! -e "$T/planted" ] || t_fail "the client created a file outside its challenge directory"

# A whole issuance in the sandbox (the selftest proves it was on: its verdict comes first).
order "$T/client.json" "create:$WWW/planted"
grep -q "^rc=0$" <<<"$out" || t_fail "a sandboxed issuance failed: $out"
grep -q "create:$WWW/planted: ALLOWED" <<<"$out" || t_fail "creating a file in the challenge directory was refused: $out"
grep -q "BEGIN CERTIFICATE" "$T/order$n.pem" || t_fail "no chain printed: $out"
! grep -q "WARNING" <<<"$out" || t_fail "the sandbox was not entered whole: $out"
rm "$WWW/planted"
[ -z "$(ls -A "$WWW")" ] || t_fail "challenge files left behind: $(ls -A "$WWW")"
t_pass "a sandboxed issuance succeeds, creates its challenge files in its directory and removes them"

# The CA by name, resolved by glibc (nsswitch.conf: files, then dns) asking a real DNS server,
# and the system trust store (no SSL_CAfile) read in the sandbox: pebble's certificate is for
# localhost and 127.0.0.1 only, so this name runs without verification, the trust store with
# localhost (which libcurl resolves itself).
echo "nameserver 127.0.0.1" >"$T/resolv.conf"
mount --bind "$T/resolv.conf" /etc/resolv.conf
t_bg "$T/dns.log" python3 "$SRC/test/integration/dns_stub.py" 127.0.0.1 53 "$T/queries.log"
t_wait_for "DNS server" bash -c "ss -uln | grep -q '127.0.0.1:53 '"
client_json "$T/byname.json" server="https://ca.sandbox.test:$PORT0/dir" SSL_verify=No timeout=30
order "$T/byname.json" "read:/etc/shadow"
grep -q "^rc=0$" <<<"$out" || t_fail "a sandboxed issuance from a CA named in DNS failed: $out"
grep -q "denied (Permission denied)" <<<"$out" || t_fail "no selftest verdict: $out"
grep -q "^ca.sandbox.test 1$" "$T/queries.log" || t_fail "the CA's name was not asked of the DNS server: $(cat "$T/queries.log")"
t_pass "resolving the CA's name through DNS works in the sandbox"
client_json "$T/system-store.json" server="https://localhost:$PORT0/dir" timeout=30
order "$T/system-store.json" "read:/etc/shadow"
grep -q "^rc=0$" <<<"$out" || t_fail "a sandboxed issuance trusting the system store failed: $out"
openssl x509 -in "$T/order$n.pem" -outform DER -out "$T/issued.der"
run "$T/system-store.json" "$T/accountd.conf" revokeCert <"$T/issued.der" 2>"$T/revoke.log" ||
    t_fail "sandboxed revocation: $(cat "$T/revoke.log")"
t_pass "the system trust store is readable in the sandbox (issuance and revocation)"

# --no-sandbox: loud, and passed through `[client] command` by lacme 0.8's master.
if command -v lacme >/dev/null; then
    kill "$http01"  # lacme's webserver listens there now
    wait "$http01" 2>/dev/null || true
    t_perl_lacme_conf "$T/perl" client="$CLIENT --no-sandbox" accountd="$ACCOUNTD" accountd_config="$T/accountd.conf"
    t_perl_issue "$T/perl" nosandbox
    grep -q "client: WARNING: --no-sandbox: running WITHOUT seccomp" "$T/perl/order.log" ||
        t_fail "no --no-sandbox warning: $(cat "$T/perl/order.log")"
    t_pass "lacme 0.8's master passes --no-sandbox from [client] command; the client warns"
else
    t_fail "missing Debian's lacme (run scripts/install-deps)"
fi
t_done
