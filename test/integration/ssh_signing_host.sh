#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# doc/signing-host.md as written (t_signing_host_up runs its blocks), with OUR master on the web
# hosts, the account key on SoftHSM on the signer and pebble issuing: (a) web1 through
# `ssh -T` and the authorized_keys line made by --authorized-keys-line, the audit log naming the
# SSH key sshd accepted; (b) web2 through the socket variant, the examples/systemd units'
# ExecStart lines (lacme-accountd --socket, ssh -N -R), including a forward restarted over the
# stale socket its killed predecessor left; (c) the same socket forwarded by the web host (-L).
# /usr/bin/lacme-accountd is this build's (a private mount namespace, see lib.sh), so the doc's
# blocks and the units' ExecStart lines run with the path they name.
T_INSTALLED_ACCOUNTD=1
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
source "$(dirname "$0")/ssh_lib.sh"
t_master_up
t_signing_host_up
signed() { grep -c 'SIGNED' "$SIGNER_HOME/accountd.log" || true; }

line=$(cat "$SIGNER_HOME/.ssh/authorized_keys")
[ "$line" = "restrict,from=\"127.0.0.1\",command=\"/usr/bin/lacme-accountd --quiet --stdio --config=$SIGNER_HOME/lacme-accountd.conf --policy=$SIGNER_HOME/policies/web1.policy\" $(cat "$SIGNER_HOME/keys/web1.pub")" ] ||
    t_fail "unexpected authorized_keys line: $line"
t_pass "doc sections 1-5 as written: token, policy, --authorized-keys-line, lacme.conf, registration over ssh -T"
printf '[policy]\nlabel = bad\nidentifers = web1.example.org\n' >"$T/bad.policy"
t_expect_fail "--authorized-keys-line refuses a malformed policy (file:line)" \
    "^lacme-accountd: Error: $T/bad.policy:3: unknown key 'identifers'" \
    "$ACCOUNTD" --authorized-keys-line --policy="$T/bad.policy" "$SIGNER_HOME/keys/web1.pub"
t_expect_fail "--authorized-keys-line refuses a from= pattern it cannot quote" "is not an sshd pattern-list" \
    "$ACCOUNTD" --authorized-keys-line --policy="$SIGNER_HOME/policies/web1.policy" --from='127.0.0.1",command="sh' \
    "$SIGNER_HOME/keys/web1.pub"

# (a) web1 orders through ssh -T.
t_section "$T/web1/certs.conf" www p256 web1.example.org www.web1.example.org
before=$(signed)
"$LACME" --config="$T/web1/lacme.conf" newOrder --config-certs="$T/web1/certs.conf" 2>"$T/web1/order.log" ||
    t_fail "web1 newOrder over ssh -T: $(cat "$T/web1/order.log")"
t_verify_chain "$T/web1/www.pem" web1.example.org www.web1.example.org
[ "$(signed)" -gt "$before" ] || t_fail "the signer logged no signature for web1's order"
fp=$(ssh-keygen -lf "$T/web1/signer_key.pub" | cut -d' ' -f2)
grep -q "Accepted publickey for root from 127.0.0.1 port [0-9]* ssh2: ED25519 $fp" "$T/sshd.log" ||
    t_fail "sshd did not log web1's key $fp"
grep '"outcome":"signed"' "$SIGNER_HOME/audit.log" | grep '"label":"web1"' | grep -q "127.0.0.1 port [0-9]* key ssh-ed25519 $fp" ||
    t_fail "the audit log lacks web1's signatures with its SSH key: $(tail -n 3 "$SIGNER_HOME/audit.log")"
t_pass "web1 issued through ssh -T under its policy; the audit log names sshd's client and key"

# The forced command runs whatever the client asks for; what it asked shows at --debug.
out=$(ssh -F "$T/web1/signer.ssh_config" -T lacme-signer "rm -rf $SIGNER_HOME" </dev/null 2>&1 | head -n 1)
[[ $out == "1 OK"* ]] && [ -d "$SIGNER_HOME/policies" ] || t_fail "the client's own command ran: $out"
note=$(SSH_ORIGINAL_COMMAND="rm -rf /x" "$ACCOUNTD" --debug --stdio --config="$SIGNER_HOME/lacme-accountd.conf" </dev/null 2>&1 || true)
grep -qF 'ignoring the command the SSH client asked for ("rm -rf /x")' <<<"$note" || t_fail "no debug note: $note"
t_pass "the forced command ignores SSH_ORIGINAL_COMMAND and says so at debug level"

# (b) web2: the socket variant, from the doc and the systemd units (which systemd accepts).
t_require systemd-analyze
mkdir "$T/units"
for unit in lacme-accountd lacme-forward; do cp "$SRC/examples/systemd/$unit@.service" "$T/units/$unit@web2.service"; done
out=$(systemd-analyze verify --man=no "$T/units/"*@web2.service 2>&1) && [ -z "$out" ] || t_fail "systemd-analyze verify: $out"
t_doc_run signer-forward
ssh-keyscan -p "$SSH_PORT" 127.0.0.1 >"$SIGNER_HOME/.ssh/known_hosts" 2>/dev/null
printf 'restrict,port-forwarding,command="/bin/false" %s\n' "$(cat "$SIGNER_HOME/.ssh/forward_key.pub")" \
    >"$T/web2-home/authorized_keys"
t_doc_run web-forward-dir
WEB_ETC="$T/web2"
t_debian_lacme_conf "$WEB_ETC"
t_doc_run web-socket-conf
unit_command() {
    sed -n 's/^ExecStart=//p' "$SRC/examples/systemd/$1" | sed -e "s|%i|web2|g" -e "s|/var/lib/lacme-accountd|$SIGNER_HOME|g" \
        -e "s|/run/lacme-signer|$WEB_RUN|g"
}
command=$(unit_command lacme-accountd@.service)
[[ $command == "/usr/bin/lacme-accountd "* ]] || t_fail "lacme-accountd@.service does not run /usr/bin/lacme-accountd: $command"
t_bg "$T/accountd-web2.log" bash -c "exec $command"
t_wait_for "web2's accountd socket" test -S "$SIGNER_HOME/run/web2.sock"
accepts() { python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).connect(sys.argv[1])' "$1"; }
refuses() { ! accepts "$1"; }
start_forward() {
    t_bg "$T/forward-$1.log" bash -c "exec $(unit_command lacme-forward@.service)"
    forward=$T_LAST_PID
    t_wait_for "the socket forwarded to web2" accepts "$WEB_RUN/S.lacme"
}
start_forward 1
[ "$(stat -c %a "$WEB_RUN/S.lacme")" = 600 ] || t_fail "forwarded socket mode $(stat -c %a "$WEB_RUN/S.lacme")"
order_web2() {
    t_section "$T/web2/certs.conf" "$1" p256 web2.example.org
    "$LACME" --config="$T/web2/lacme.conf" "${@:2}" newOrder --config-certs="$T/web2/certs.conf" "$1" \
        2>"$T/web2/$1.log" || t_fail "web2 newOrder ($1): $(cat "$T/web2/$1.log")"
    t_verify_chain "$T/web2/$1.pem" web2.example.org
}
order_web2 first
t_pass "web2 issued through the socket forwarded by ssh -N -R (the units' commands, units accepted by systemd-analyze; lacme's socket checks pass)"

kill -9 "$forward"
wait "$forward" 2>/dev/null || true
t_wait_for "sshd to drop the killed forward" refuses "$WEB_RUN/S.lacme"
[ -S "$WEB_RUN/S.lacme" ] || t_fail "no stale socket left behind: nothing for StreamLocalBindUnlink to do"
start_forward 2
order_web2 second
t_pass "a forward restarted after its ssh was killed binds over the stale socket (StreamLocalBindUnlink)"

# (c) the same daemon's socket forwarded by the web host (ssh -N -L), with a forwarding-only key.
ssh-keygen -q -t ed25519 -N '' -f "$T/web3_key"
printf 'restrict,port-forwarding,command="/bin/false" %s\n' "$(cat "$T/web3_key.pub")" >>"$SIGNER_HOME/.ssh/authorized_keys"
mkdir -m 0700 "$T/web3-run"
t_ssh_host web3-to-signer "$T/web3_key"
t_bg "$T/forward-l.log" ssh -F "$T/ssh/ssh_config" -N -o ExitOnForwardFailure=yes \
    -o StreamLocalBindUnlink=yes -L "$T/web3-run/S.lacme:$SIGNER_HOME/run/web2.sock" web3-to-signer
t_wait_for "the socket forwarded by ssh -L" test -S "$T/web3-run/S.lacme"
order_web2 third --socket="$T/web3-run/S.lacme"
t_pass "the signer's socket forwarded by the web host (ssh -N -L) passes lacme's checks and issues"
# (d) section 7: one daemon for many web hosts (the unit's ExecStart line), web1 switched to a
# --relay forced command, web3 on its listener socket.
t_doc_run signer-many-hosts
cp "$SRC/examples/systemd/lacme-accountd.service" "$T/units/"
out=$(systemd-analyze verify --man=no "$T/units/lacme-accountd.service" 2>&1) && [ -z "$out" ] ||
    t_fail "systemd-analyze verify lacme-accountd.service: $out"
command=$(sed -n 's/^ExecStart=//p' "$SRC/examples/systemd/lacme-accountd.service" | sed "s|/var/lib/lacme-accountd|$SIGNER_HOME|g")
[[ $command == "/usr/bin/lacme-accountd "* ]] || t_fail "lacme-accountd.service does not run /usr/bin/lacme-accountd: $command"
t_bg "$T/accountd-many.log" bash -c "exec $command"
t_wait_for "the relay socket" test -S "$SIGNER_HOME/run/relay.sock"
t_wait_for "web3's listener socket" test -S "$SIGNER_HOME/run/web3.sock"
t_doc_run signer-relay-authorized-keys
grep -qxF "restrict,from=\"127.0.0.1\",command=\"/usr/bin/lacme-accountd --quiet --relay=web1 --config=$SIGNER_HOME/many-hosts.conf\" $(cat "$SIGNER_HOME/keys/web1.pub")" \
    "$SIGNER_HOME/.ssh/authorized_keys" || t_fail "no relay line for web1: $(cat "$SIGNER_HOME/.ssh/authorized_keys")"
! grep -qF -- "--stdio" "$SIGNER_HOME/.ssh/authorized_keys" || t_fail "web1's --stdio line is still there"
t_section "$T/web1/certs.conf" relayed p256 web1.example.org
"$LACME" --config="$T/web1/lacme.conf" newOrder --config-certs="$T/web1/certs.conf" relayed 2>"$T/web1/relayed.log" ||
    t_fail "web1 newOrder through the relay: $(cat "$T/web1/relayed.log")"
t_verify_chain "$T/web1/relayed.pem" web1.example.org
grep '"outcome":"signed"' "$SIGNER_HOME/audit.log" | grep '"label":"web1"' |
    grep -q "127.0.0.1 port [0-9]* key ssh-ed25519 $fp (listener web1)" ||
    t_fail "no audit record of web1 through the relay: $(tail -n 3 "$SIGNER_HOME/audit.log")"
t_accountd_peer "$SIGNER_HOME/run/web3.sock" greeting | head -n 1 | grep -q '^1 OK ' || t_fail "web3's listener socket"
t_pass "section 7 as written: one daemon (the unit's command), web1 issued through its --relay forced command, audited with its key and listener"
t_done
