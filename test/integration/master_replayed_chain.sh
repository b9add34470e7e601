#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 19 finding 7 end to end: a compromised client (a `[client] command` of its own) hands the
# master, instead of a new certificate, an old one pebble issued for the same key (the master
# runs three hours later, under faketime, so that the certificate issued now is old), or the new
# chain with an unrelated certificate appended. The master installs neither the old certificate
# nor the extra one: the old one fails its section ("not new"), and the installed chain is the
# verified path, without the extra certificate.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
t_require faketime
t_master_up
t_master_file_account
c="$T/conf/certs.conf"
t_section "$c" www p256 www.example.org
"$LACME" --config="$T/conf/lacme.conf" newOrder --config-certs="$c" 2>"$T/first.log" ||
    t_fail "first issuance: $(cat "$T/first.log")"
t_verify_chain "$T/conf/www.pem" www.example.org
cp "$T/conf/www.pem" "$T/old.pem"
chmod 0644 "$T/old.pem"

# A client that answers newOrder with the old chain, without asking the CA.
cat >"$T/replay-client" <<SH
#!/bin/sh
[ "\$1" = newOrder ] || exec "$CLIENT" "\$@"
cat >/dev/null
cat "$T/old.pem"
SH
chmod 0755 "$T/replay-client"
sed "s|^command = $CLIENT|command = $T/replay-client|" "$T/conf/lacme.conf" >"$T/conf/replay.conf"
rc=0
t_faketime +3h "$LACME" --config="$T/conf/replay.conf" newOrder --config-certs="$c" --force 2>"$T/replay.log" || rc=$?
[ "$rc" -eq 1 ] || t_fail "old chain replayed: exit $rc, expected 1: $(cat "$T/replay.log")"
grep -q '^\[www\] FAILED: .*the issued certificate is not new' "$T/replay.log" ||
    t_fail "old chain replayed: $(cat "$T/replay.log")"
cmp -s "$T/old.pem" "$T/conf/www.pem" || t_fail "the installed chain changed"
t_pass "an old certificate for the same key and names, handed over as new: refused"

# A client that appends an unrelated certificate to the chain it got from the CA.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/extra.key" -subj /CN=unrelated \
    -days 30 -out "$T/extra.pem" 2>/dev/null
chmod 0644 "$T/extra.pem"
cat >"$T/append-client" <<SH
#!/bin/sh
[ "\$1" = newOrder ] || exec "$CLIENT" "\$@"
"$CLIENT" "\$@" && cat "$T/extra.pem"
SH
chmod 0755 "$T/append-client"
sed "s|^command = $CLIENT|command = $T/append-client|" "$T/conf/lacme.conf" >"$T/conf/append.conf"
"$LACME" --config="$T/conf/append.conf" newOrder --config-certs="$c" --force 2>"$T/append.log" ||
    t_fail "chain with an extra certificate: $(cat "$T/append.log")"
t_verify_chain "$T/conf/www.pem" www.example.org
! cmp -s "$T/old.pem" "$T/conf/www.pem" || t_fail "no new certificate installed"
extra=$(openssl x509 -in "$T/extra.pem" -outform DER | sha256sum)
awk '/BEGIN CERT/{n++} {print > ("'"$T"'/installed-" n ".pem")}' "$T/conf/www.pem"
for f in "$T"/installed-*.pem; do
    [ "$(openssl x509 -in "$f" -outform DER | sha256sum)" != "$extra" ] || t_fail "the unrelated certificate was installed"
done
t_pass "an unrelated certificate appended to the chain: the verified path is installed without it"
t_done
