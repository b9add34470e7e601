#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Our master, six sections in one run (RSA, P-256, Ed25519 keys; certificate only, chain only,
# both; chown/chmod; a shared notify command) and a seventh with an invalid SAN: the six are
# installed, the bad one fails alone, exit 1, one summary line each, the notify command ran
# once, and the whole run used ONE accountd (spawned once, one connection for every client).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
t_master_up
cat >"$T/accountd-wrapper" <<SH
#!/bin/sh
echo started >>"$T/accountd-starts"
exec "$ACCOUNTD" "\$@"
SH
chmod 0755 "$T/accountd-wrapper"
t_keygen "$T/account.key" p256
printf 'privkey = file:%s\n' "$T/account.key" >"$T/accountd.conf"
t_master_conf "$T/conf" accountd="$T/accountd-wrapper" accountd_config="$T/accountd.conf"
t_master account --register --tos-agreed >/dev/null 2>"$T/register.log" || t_fail "register: $(cat "$T/register.log")"
rm -f "$T/accountd-starts"

c="$T/conf/certs.conf"
t_section "$c" rsa rsa2048 rsa.example.org www.rsa.example.org
t_section "$c" p256 p256 p256.example.org
t_section "$c" ed ed25519 ed.example.org
t_section "$c" leaf p256 leaf.example.org
sed -i '/^\[leaf\]/,$ s|^certificate-chain = \(.*\)/leaf.pem|certificate = \1/leaf.crt|' "$c"
t_section "$c" both p256 both.example.org
echo "certificate = $T/conf/both.crt" >>"$c"
t_section "$c" owned p256 owned.example.org
printf 'chown = nobody:nogroup\nchmod = 0640\nnotify = echo run >>%s\n' "$T/notified" >>"$c"
sed -i "/^\[p256\]/a notify = echo run >>$T/notified" "$c"
t_section "$c" bad p256 bad..example.org

rc=0
t_master newOrder --config-certs="$c" --json >"$T/run.json" 2>"$T/run.log" || rc=$?
[ "$rc" -eq 1 ] || t_fail "exit $rc with a failing section, expected 1: $(cat "$T/run.log")"
t_pass "a failing section makes the run exit 1"

for s in rsa p256 ed owned; do t_verify_chain "$T/conf/$s.pem"; done
t_verify_chain "$T/conf/both.pem"
openssl x509 -in "$T/conf/leaf.crt" -noout 2>/dev/null || t_fail "leaf certificate missing"
[ "$(grep -c BEGIN "$T/conf/leaf.crt")" -eq 1 ] || t_fail "certificate = file holds more than the leaf"
[ ! -e "$T/conf/leaf.pem" ] || t_fail "chain written although only certificate is set"
cmp -s <(openssl x509 -in "$T/conf/both.crt") <(openssl x509 -in "$T/conf/both.pem") || t_fail "both: leaf differs from the chain's"
[ ! -e "$T/conf/bad.pem" ] || t_fail "the bad section installed something"
t_pass "six sections installed (RSA, P-256, Ed25519; certificate, chain, both); the bad one nothing"

[ "$(stat -c '%U:%G %a' "$T/conf/owned.pem")" = "nobody:nogroup 640" ] ||
    t_fail "chown/chmod not applied: $(stat -c '%U:%G %a' "$T/conf/owned.pem")"
t_pass "chown and chmod applied"

[ "$(wc -l <"$T/notified")" -eq 1 ] || t_fail "notify ran $(wc -l <"$T/notified") times, expected once"
t_pass "a notify command shared by two sections ran once"

[ "$(wc -l <"$T/accountd-starts")" -eq 1 ] || t_fail "accountd started $(wc -l <"$T/accountd-starts") times"
t_pass "one accountd for the whole run"

for s in rsa p256 ed leaf both owned; do
    grep -q "^\[$s\] issued, expires " "$T/run.log" || t_fail "no issued line for $s: $(cat "$T/run.log")"
done
grep -q '^\[bad\] FAILED: ' "$T/run.log" || t_fail "no FAILED line for bad: $(cat "$T/run.log")"
python3 - "$T/run.json" <<'PY' || t_fail "--json summary wrong: $(cat "$T/run.json")"
import json, sys
d = {s["section"]: s for s in json.load(open(sys.argv[1]))["sections"]}
assert sorted(d) == ["bad", "both", "ed", "leaf", "owned", "p256", "rsa"], d
assert all(d[s]["status"] == "issued" for s in d if s != "bad"), d
assert d["bad"]["status"] == "failed" and d["bad"]["error"], d
PY
t_pass "summary lines and --json document per section"

rm -f "$T/accountd-starts"
t_master newOrder --config-certs="$c" rsa p256 >/dev/null 2>"$T/skip.log" || t_fail "skip run: $(cat "$T/skip.log")"
[ ! -e "$T/accountd-starts" ] || t_fail "accountd started although nothing was due"
t_pass "nothing due: exit 0 and accountd never started"
t_done
