#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# One lacme-accountd daemon for many web hosts (doc/signing-host.md, "Many web hosts, one
# daemon"): the account key on SoftHSM behind the test shim that counts C_Login, three
# [listener NAME] sections with their own policies, web1 and web2 reaching theirs through a real
# sshd and `--relay=NAME` forced commands made by --authorized-keys-line, web3 through its own
# listener socket (what `ssh -R` forwards). Each web host gets signed what its policy allows
# and nothing else; the audit log names each policy and caller (the SSH address and key); web2's
# newOrder rate limit holds exactly under concurrent sessions; a listener that does not exist, a
# malformed header, and a header from another uid (nobody, the socket's directory opened for
# the occasion) are refused; the token saw one login for all of it.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ssh_lib.sh"
t_require jq; t_require setpriv
t_pkcs11_shim
t_softhsm_init acme
t_pkcs11_tool --keypairgen --key-type EC:prime256v1 --id 02 --label account >/dev/null 2>&1 || t_fail "keygen"
echo 1234 >"$T/pin"; chmod 0600 "$T/pin"
export LACME_SHIM_LOGINS_FILE="$T/logins"

S="$T/signer"
mkdir -p "$S/policies" "$S/state" "$S/run" "$T/web1" "$T/web2" "$T/web9"
chmod 0700 "$S" "$S/run"
ca="https://ca.example"
policy() {  # NAME EXTRA-LINE...
    local name=$1; shift
    printf '[policy]\nlabel = %s\nca = %s/\nidentifiers = %s.example.org\n' "$name" "$ca" "$name" >"$S/policies/$name.policy"
    printf '%s\n' "$@" >>"$S/policies/$name.policy"
}
policy web1
policy web2 "max-orders-per-hour = 3" "state-directory = $S/state"
policy web3
cat >"$S/lacme-accountd.conf" <<CONF
privkey = pkcs11:token=acme;id=%02
pin-file = $T/pin
pkcs11-module = $shim
pin-state-dir = $S/pin-state
audit-log = $S/audit.log
logfile = $S/accountd.log
relay-socket = $S/run/relay.sock

[listener web1]
policy = $S/policies/web1.policy

[listener web2]
policy = $S/policies/web2.policy

[listener web3]
policy = $S/policies/web3.policy
socket = $S/run/web3.sock
CONF
t_bg "$T/daemon.out" "$ACCOUNTD" --config="$S/lacme-accountd.conf"
daemon=$T_LAST_PID
t_wait_for "the relay socket" test -S "$S/run/relay.sock"
t_wait_for "web3's socket" test -S "$S/run/web3.sock"
[ "$(stat -c %a "$S/run/relay.sock")" = 600 ] || t_fail "relay socket mode $(stat -c %a "$S/run/relay.sock")"

# authorized_keys lines from --authorized-keys-line --relay.
for web in web1 web2 web9; do ssh-keygen -q -t ed25519 -N '' -f "$T/$web/key"; done
for web in web1 web2; do
    "$ACCOUNTD" --authorized-keys-line --relay=$web --config="$S/lacme-accountd.conf" --from=127.0.0.1 \
        "$T/$web/key.pub" >>"$T/authorized_keys" || t_fail "--authorized-keys-line --relay=$web"
done
line=$(sed -n 1p "$T/authorized_keys")
[ "$line" = "restrict,from=\"127.0.0.1\",command=\"$ACCOUNTD --quiet --relay=web1 --config=$S/lacme-accountd.conf\" $(cut -d' ' -f1,2 "$T/web1/key.pub") $(cut -d' ' -f3 "$T/web1/key.pub")" ] ||
    t_fail "relay line: $line"
out=$("$ACCOUNTD" --authorized-keys-line --relay=nosuch --config="$S/lacme-accountd.conf" "$T/web9/key.pub" 2>&1) &&
    t_fail "a line for a listener that does not exist: $out"
grep -qF "no [listener nosuch] in $S/lacme-accountd.conf" <<<"$out" || t_fail "unknown listener: $out"
t_pass "--authorized-keys-line --relay=NAME: the forced command names the listener, an unknown one refused"
# web9: a line naming a listener the config does not have (one removed since, say).
printf 'restrict,command="%s --quiet --relay=nosuch --config=%s" %s\n' "$ACCOUNTD" "$S/lacme-accountd.conf" \
    "$(cat "$T/web9/key.pub")" >>"$T/authorized_keys"
mkdir -p "$T/ssh"; cp "$T/authorized_keys" "$T/ssh/authorized_keys"
t_sshd_up "ExposeAuthInfo yes"  # no SOFTHSM2_CONF for the sessions: the relay opens no token
for web in web1 web2 web9; do t_ssh_host $web "$T/$web/key"; done

ask() {  # WEB NAME: a newOrder for NAME through WEB's SSH session
    t_accountd_peer "exec:ssh -F $T/ssh/ssh_config -T $1 lacme-accountd" ask "$ca/new-order" kid \
        "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"$2\"}]}"
}
[ "$(ask web1 web1.example.org)" = SIGNED ] || t_fail "web1 for its own name"
[ "$(ask web2 web2.example.org)" = SIGNED ] || t_fail "web2 for its own name"
out=$(ask web1 web2.example.org)
[ "$out" = 'NOSIGN identifier dns:web2.example.org not allowed by policy "web1"' ] || t_fail "web1 for web2's name: $out"
out=$(ask web2 web1.example.org)
[ "$out" = 'NOSIGN identifier dns:web1.example.org not allowed by policy "web2"' ] || t_fail "web2 for web1's name: $out"
t_pass "two web hosts through one daemon: each signed what its policy allows, refused the other's name"

fp() { ssh-keygen -lf "$T/$1/key.pub" | cut -d' ' -f2; }
audit_has() { jq -s -e "$1" "$S/audit.log" >/dev/null || t_fail "$2: $(cat "$S/audit.log")"; }
for web in web1 web2; do
    audit_has "any(.[]; .label == \"$web\" and .outcome == \"signed\" and (.caller | startswith(\"127.0.0.1 port \")) and
        (.caller | endswith(\" key ssh-ed25519 $(fp $web) (listener $web)\")))" \
        "no signed record naming $web's policy, address and key"
    audit_has "any(.[]; .label == \"$web\" and .outcome == \"refused\" and (.caller | endswith(\"key ssh-ed25519 $(fp $web) (listener $web)\")))" \
        "no refused record naming $web's policy and key"
done
t_pass "the audit log names each policy, and each caller's address, key and listener"

# web3 through its own listener socket.
[ "$(t_accountd_peer "$S/run/web3.sock" ask "$ca/new-order" kid '{"identifiers":[{"type":"dns","value":"web3.example.org"}]}')" = SIGNED ] ||
    t_fail "web3 on its socket for its own name"
out=$(t_accountd_peer "$S/run/web3.sock" ask "$ca/new-order" kid '{"identifiers":[{"type":"dns","value":"web1.example.org"}]}')
[ "$out" = 'NOSIGN identifier dns:web1.example.org not allowed by policy "web3"' ] || t_fail "web3 for web1's name: $out"
audit_has 'any(.[]; .label == "web3" and .outcome == "signed" and .caller == "listener web3")' "no record of web3's socket"
t_pass "a [listener NAME] socket (what ssh -R forwards) is decided by its own policy"

# web2's rate limit: 3 an hour, 1 used above; 6 concurrent sessions ask, exactly 2 get signed
# (six SSH logins at once can take more than the peer's default 10 s on a loaded machine).
pids=()
for i in 1 2 3 4 5 6; do (export ACCOUNTD_PEER_TIMEOUT=90; ask web2 web2.example.org >"$T/web2/rate.$i") & pids+=($!); done
wait "${pids[@]}"
signed=$(cat "$T/web2/rate."* | grep -cx SIGNED || true)
limited=$(cat "$T/web2/rate."* | grep -cxF 'NOSIGN newOrder rate limit of policy "web2" reached (3 per hour)' || true)
[ "$signed" = 2 ] && [ "$limited" = 4 ] || t_fail "6 concurrent orders past the limit: $(cat "$T/web2/rate."*)"
[ "$(grep -cxE '[0-9]+' "$S/state/web2.orders")" = 3 ] || t_fail "web2.orders: $(cat "$S/state/web2.orders")"
t_pass "per-policy rate limit exact under 6 concurrent sessions (2 signed, 4 refused, 3 counted)"

# A listener that does not exist: through sshd, and run by hand.
out=$(ssh -F "$T/ssh/ssh_config" -T web9 lacme-accountd </dev/null 2>"$T/web9/stderr") && t_fail "web9's session exited 0"
[ "$out" = "NOSIGN no listener nosuch" ] || t_fail "web9 (no such listener): $out"
[ "$(cat "$T/web9/stderr")" = "lacme-accountd: Error: relay refused by the daemon on $S/run/relay.sock: no listener nosuch" ] ||
    t_fail "web9's stderr: $(cat "$T/web9/stderr")"
grep -qF "Refused relayed connection: no listener nosuch" "$S/accountd.log" || t_fail "no log line for web9"
out=$("$ACCOUNTD" --relay=nosuch --config="$S/lacme-accountd.conf" </dev/null 2>/dev/null) && t_fail "--relay=nosuch exited 0"
[ "$out" = "NOSIGN no listener nosuch" ] || t_fail "--relay=nosuch: $out"
t_pass "a relay naming a listener that does not exist: refused (exit 1), nothing greeted"

relay_peer() {  # HEADER: send it to the relay socket, print what comes back (Debian's python3:
    # another uid cannot run root's own, if any)
    /usr/bin/python3 - "$S/run/relay.sock" "$1" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(20)
s.connect(sys.argv[1])
try:
    s.sendall(sys.argv[2].encode() + b"\n")
    s.shutdown(socket.SHUT_WR)  # greeted or not, the daemon then closes
except (BrokenPipeError, ConnectionResetError):
    pass  # closed before the header: refused unread
data = b""
while True:
    try:
        chunk = s.recv(4096)
    except ConnectionResetError:
        break
    if not chunk:
        break
    data += chunk
print(data.decode(errors="replace").rstrip("\n") or "CLOSED")
PY
}
out=$(relay_peer "hello")
[ "$out" = "NOSIGN not a relay header" ] || t_fail "a malformed header: $out"
out=$(relay_peer "lacme-relay 1 web1 - - - -")
[ "$(head -c 5 <<<"$out")" = "1 OK " ] || t_fail "a well-formed header from our own uid: $out"
t_pass "relay headers parsed strictly: a malformed one refused, a valid one greeted"

# Another uid: the directories opened so that it can connect at all (the 0700 directory is the
# first line of defence); SO_PEERCRED refuses it.
chmod 0711 "$T" "$S" "$S/run"; chmod 0666 "$S/run/relay.sock"
export -f relay_peer; export S
out=$(cd / && setpriv --reuid=65534 --regid=65534 --clear-groups bash -c 'relay_peer "lacme-relay 1 web1 - - - -"' 2>&1) ||
    t_fail "the peer as uid 65534 failed: $out"
chmod 0700 "$T" "$S" "$S/run"; chmod 0600 "$S/run/relay.sock"
[ "$out" = CLOSED ] || t_fail "a header from uid 65534: $out"
grep -qF "Refused a relay connection from uid 65534" "$S/accountd.log" || t_fail "no log line for uid 65534"
t_pass "a relay header from another uid (nobody) refused (SO_PEERCRED), nothing greeted"

# The daemon keeps its one session: every SSH session above relayed, none logged in.
[ "$(cat "$T/logins")" = "1 pin" ] || t_fail "token logins: $(cat "$T/logins")"
sessions=$(grep -c "Accepted publickey" "$T/sshd.log")
[ "$sessions" -ge 11 ] || t_fail "only $sessions SSH sessions"
t_pass "one token login for $sessions SSH sessions and two sockets"
kill "$daemon"; wait "$daemon" || true
[ ! -e "$S/run/relay.sock" ] && [ ! -e "$S/run/web3.sock" ] || t_fail "sockets left after the daemon stopped"
t_pass "the daemon removes its sockets on exit"
t_done
