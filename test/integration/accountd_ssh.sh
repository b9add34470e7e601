#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Remote signing over OpenSSH with a real sshd on 127.0.0.1: Debian's Perl lacme issues
# certificates with OUR lacme-accountd reached (a) as `[accountd] command = ssh -T signer ...`
# under an authorized_keys forced command (restrict,command="lacme-accountd --stdio"), and
# (b) through a forwarded UNIX socket (ssh -N -L local.sock:remote.sock).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ssh_lib.sh"
t_require lacme
t_pebble_up PEBBLE_WFE_NONCEREJECT=0   # Perl's client drives the ACME side; it does not retry badNonce
t_sshd_signer
mkdir -p "$T/local"
chmod 0700 "$T/local"

# (a) the master spawns `ssh -T signer lacme-accountd`; the forced command runs ours remotely.
d="$T/a"; mkdir -p "$d"
t_perl_lacme_conf "$d" accountd="ssh -F $T/ssh/ssh_config -T signer lacme-accountd"
lacme --config="$d/lacme.conf" account --register --tos-agreed >"$d/register.log" 2>&1 || true
grep -q '^Key ID: https' "$d/register.log" || t_fail "registration over ssh failed: $(cat "$d/register.log")"
t_certs_conf "$d" www www.ssh.example.org ssh.example.org
lacme --config="$d/lacme.conf" newOrder --config-certs="$d/certs.conf" --force >"$d/order.log" 2>&1 ||
    t_fail "newOrder with accountd over ssh -T failed: $(cat "$d/order.log")"
t_verify_chain "$d/www.pem" www.ssh.example.org ssh.example.org
t_pass "accountd on the signing host behind ssh -T and a forced command"

# (b) the daemon listens on the signing host; ssh forwards its socket to the lacme host.
t_bg "$T/accountd.log" "$ACCOUNTD" --config="$T/remote/accountd.conf" --socket="$T/remote/S.lacme"
t_wait_for "remote accountd socket" test -S "$T/remote/S.lacme"
t_bg "$T/forward.log" ssh -F "$T/ssh/ssh_config" -N -o StreamLocalBindUnlink=yes \
    -L "$T/local/S.lacme:$T/remote/S.lacme" forwarder
t_wait_for "forwarded socket" test -S "$T/local/S.lacme"
d="$T/b"; mkdir -p "$d"
t_perl_lacme_conf "$d"
t_certs_conf "$d" www mail.ssh.example.org
lacme --config="$d/lacme.conf" --socket="$T/local/S.lacme" newOrder --config-certs="$d/certs.conf" --force \
    >"$d/order.log" 2>&1 || t_fail "newOrder through a forwarded socket failed: $(cat "$d/order.log")"
t_verify_chain "$d/www.pem" mail.ssh.example.org
grep -q 'SIGNED' "$T/accountd.log" || t_fail "remote daemon logged no signature"
t_pass "accountd socket forwarded over ssh -N -L"

# The forwarding-only key cannot run the signer.
out=$(ssh -F "$T/ssh/ssh_config" -T forwarder </dev/null 2>&1 || true)
! grep -q '^1 OK' <<<"$out" || t_fail "the forwarding key reached a signer: $out"
t_pass "a forwarding-only key gets no signer"
t_done
