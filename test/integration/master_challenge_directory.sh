#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Our master in challenge-directory mode: no webserver is spawned; the client (as
# _lacme-client) writes the challenge files into the configured directory, which an external
# HTTP daemon (python's http.server here) serves. The directory must be empty (else refused),
# is locked with .lacme.lock during the run, and is empty again afterwards.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
t_master_up
dir="$T/www/.well-known/acme-challenge"
mkdir -p "$dir"; chmod 0755 "$T/www" "$T/www/.well-known"
chown _lacme-client "$dir"
t_bg "$T/httpd.log" python3 -m http.server --bind 127.0.0.1 --directory "$T/www" "$HTTP01_PORT"
t_wait_for "external httpd" curl -fs "http://127.0.0.1:$HTTP01_PORT/"
t_master_file_account listen= "extra_webserver=challenge-directory = $dir"
t_section "$T/conf/certs.conf" www p256 www.example.org

t_master newOrder --config-certs="$T/conf/certs.conf" 2>"$T/order.log" || t_fail "newOrder: $(cat "$T/order.log")"
t_verify_chain "$T/conf/www.pem" www.example.org
grep -q "GET /.well-known/acme-challenge/" "$T/httpd.log" || t_fail "the external httpd served no challenge"
t_pass "issued through an external httpd serving challenge-directory"

[ -z "$(ls -A "$dir")" ] || t_fail "challenge directory not emptied: $(ls -A "$dir")"
t_pass "challenge files and .lacme.lock removed at the end"

touch "$dir/stray"
rc=0
t_master newOrder --config-certs="$T/conf/certs.conf" --force >/dev/null 2>"$T/busy.log" || rc=$?
[ "$rc" -eq 1 ] && grep -q "non-empty challenge directory" "$T/busy.log" || t_fail "non-empty dir: exit $rc: $(cat "$T/busy.log")"
[ -e "$dir/stray" ] || t_fail "a refused run removed someone else's file"
t_pass "a non-empty challenge directory is refused and left alone"
t_done
