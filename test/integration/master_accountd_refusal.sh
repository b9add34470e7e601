#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 19 finding 5: one section among several refused by lacme-accountd's policy (which allows
# web1.example.org and names below it). accountd closes its connection after a refusal; the
# master opens a new link (a new accountd process; a new connection to a daemon's socket) for
# the other sections: only the refused section fails, its summary line and --json name the
# refusal, and a refusal costs at most one more link. Run one section at a time (sections run in name order:
# those after the refused one need the new link) and then all at once.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
t_master_up
t_keygen "$T/account.key" p256
printf 'privkey = file:%s\n' "$T/account.key" >"$T/accountd.conf"
cat >"$T/web1.policy" <<EOF
[policy]
label = web1
ca = https://127.0.0.1:$PORT0/
identifiers = web1.example.org *.web1.example.org
operations = order
EOF
cat >"$T/accountd-wrapper" <<SH
#!/bin/sh
echo started >>"$T/accountd-starts"
exec "$ACCOUNTD" --policy="$T/web1.policy" "\$@"
SH
chmod 0755 "$T/accountd-wrapper"
t_master_conf "$T/register" accountd="$ACCOUNTD" accountd_config="$T/accountd.conf"
"$LACME" --config="$T/register/lacme.conf" account --register --tos-agreed >/dev/null 2>"$T/register.log" ||
    t_fail "register: $(cat "$T/register.log")"
t_master_conf "$T/conf" accountd="$T/accountd-wrapper" accountd_config="$T/accountd.conf"

c="$T/conf/certs.conf"
t_section "$c" evil p256 evil.example.org
t_section "$c" apex p256 web1.example.org
t_section "$c" www p256 www.web1.example.org
t_section "$c" mail p256 mail.web1.example.org
refusal='lacme-accountd refused to sign: identifier dns:evil.example.org not allowed by policy "web1"'

# run NAME LACME_ARG...: a newOrder of every section; exit 1, the three allowed sections
# installed (fresh ones), evil failed with the refusal in its summary line and --json.
run() {
    local name=$1 rc=0
    shift
    rm -f "$T"/conf/*.pem
    "$LACME" "$@" newOrder --config-certs="$c" --force --json >"$T/$name.json" 2>"$T/$name.log" || rc=$?
    [ "$rc" -eq 1 ] || t_fail "$name: exit $rc, expected 1: $(cat "$T/$name.log")"
    for s in apex www mail; do
        grep -q "^\[$s\] issued, expires " "$T/$name.log" || t_fail "$name: $s not issued: $(cat "$T/$name.log")"
    done
    t_verify_chain "$T/conf/apex.pem" web1.example.org
    t_verify_chain "$T/conf/www.pem" www.web1.example.org
    t_verify_chain "$T/conf/mail.pem" mail.web1.example.org
    [ ! -e "$T/conf/evil.pem" ] || t_fail "$name: the refused section installed a certificate"
    grep -qF "[evil] FAILED: couldn't issue X.509 certificate: $refusal" "$T/$name.log" ||
        t_fail "$name: evil's summary line does not name the refusal: $(cat "$T/$name.log")"
    python3 - "$T/$name.json" "$refusal" <<'PY' || t_fail "$name: --json: $(cat "$T/$name.json")"
import json, sys
d = {s["section"]: s for s in json.load(open(sys.argv[1]))["sections"]}
assert d["evil"]["status"] == "failed" and sys.argv[2] in d["evil"]["error"], d["evil"]
assert all(d[s]["status"] == "issued" for s in ("apex", "www", "mail")), d
PY
}

rm -f "$T/accountd-starts"
run serial --config="$T/conf/lacme.conf" --jobs=1
t_pass "one section at a time: the refused section fails alone, its summary names the refusal"
[ "$(wc -l <"$T/accountd-starts")" -eq 2 ] || t_fail "accountd started $(wc -l <"$T/accountd-starts") times, expected 2"
t_pass "the refusal cost one more accountd process, no more"

rm -f "$T/accountd-starts"
run concurrent --config="$T/conf/lacme.conf" --jobs=4
[ "$(wc -l <"$T/accountd-starts")" -eq 2 ] || t_fail "accountd started $(wc -l <"$T/accountd-starts") times, expected 2"
t_pass "all sections at once: the refused section fails alone, one more accountd process"

# The same through a daemon's socket: the master connects again.
mkdir -p "$T/run"
chmod 0700 "$T/run"
sock="$T/run/S.lacme"
t_bg "$T/accountd.log" "$ACCOUNTD" --config="$T/accountd.conf" --socket="$sock" --policy="$T/web1.policy"
t_wait_for "accountd socket" test -S "$sock"
sed '/^\[accountd\]/,$d' "$T/conf/lacme.conf" >"$T/conf/socket.conf"
run socket --config="$T/conf/socket.conf" --socket="$sock" --jobs=1
[ "$(grep -c 'NOSIGN' "$T/accountd.log")" -eq 1 ] || t_fail "daemon log: $(cat "$T/accountd.log")"
t_pass "through a daemon's socket: the refused section fails alone"
t_done
