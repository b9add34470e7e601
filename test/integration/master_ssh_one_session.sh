#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `[accountd] command = ssh -T signer lacme-accountd` under our master: registering, then a
# 6-section run, each open exactly ONE SSH session (the master relays every client's signing
# requests over the one connection), counted in sshd's log.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
source "$(dirname "$0")/ssh_lib.sh"
t_master_up
t_sshd_signer
sessions() { grep -c "Accepted publickey" "$T/sshd.log"; }
t_master_conf "$T/conf" accountd="ssh -F $T/ssh/ssh_config -T signer lacme-accountd"

before=$(sessions)
t_master account --register --tos-agreed >"$T/account.json" 2>"$T/register.log" || t_fail "register: $(cat "$T/register.log")"
[ $(($(sessions) - before)) -eq 1 ] || t_fail "register opened $(($(sessions) - before)) SSH sessions"
t_pass "account --register over ssh -T: one SSH session"

for s in s1 s2 s3 s4 s5 s6; do t_section "$T/conf/certs.conf" "$s" p256 "$s.example.org"; done
before=$(sessions)
t_master newOrder --config-certs="$T/conf/certs.conf" 2>"$T/order.log" || t_fail "newOrder: $(cat "$T/order.log")"
for s in s1 s2 s3 s4 s5 s6; do t_verify_chain "$T/conf/$s.pem" "$s.example.org"; done
[ $(($(sessions) - before)) -eq 1 ] || t_fail "6 sections opened $(($(sessions) - before)) SSH sessions"
t_pass "six sections issued over exactly one SSH session"
t_done
