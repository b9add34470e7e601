#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A private TMPDIR (libpam-tmpdir's 0700 per-user directory, root's here) does not stop issuance:
# the challenge directory is made in root's 0711 runtime directory, which the dropped client and
# webserver can traverse, not in TMPDIR; nothing is left there after the run.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
t_master_up
chmod 0700 "$TMPDIR"
t_master_file_account
t_section "$T/conf/certs.conf" www p256 www.example.org
"$LACME" --config="$T/conf/lacme.conf" newOrder --config-certs="$T/conf/certs.conf" 2>"$T/order.log" ||
    t_fail "newOrder with a 0700 TMPDIR: $(cat "$T/order.log")"
t_verify_chain "$T/conf/www.pem" www.example.org
t_pass "issued with a private 0700 TMPDIR"
[ "$(stat -c '%a %U' "$T/run")" = "711 root" ] || t_fail "runtime directory: $(stat -c '%a %U' "$T/run")"
[ -z "$(find "$T/run" -mindepth 1 -maxdepth 1 -name '*acme-challenge*')" ] || t_fail "challenge directory left in $T/run: $(ls -A "$T/run")"
[ -z "$(ls -A "$TMPDIR")" ] || t_fail "left in TMPDIR: $(ls -A "$TMPDIR")"
t_pass "the challenge directory lived in root's 0711 runtime directory and is gone"
t_done
