#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# lacme-accountd against a scripted peer: greeting compatibility with Perl's lacme-accountd,
# keyid, socket rules (permissions, live/stale sockets, unlink on exit), bad keys and bad
# configuration, and hostile peers (garbage, 1 MB line, disconnect mid-line), the daemon staying
# alive and serving others throughout.
source "$(dirname "$0")/lib.sh"
t_require python3; t_require lacme-accountd; t_require xxd
mkdir -p "$T/run"; chmod 0700 "$T/run"
sock="$T/run/S.lacme"

t_keygen "$T/rsa.key" rsa2048
t_keygen "$T/p256.key" p256

# Greeting: same as Perl's for the same key (line 1 compared as JSON: Perl's key order varies).
perl_greeting=$(printf '' | lacme-accountd --stdio --privkey="file:$T/rsa.key" --quiet | head -n 2)
our_greeting=$(printf '' | "$ACCOUNTD" --stdio --privkey="file:$T/rsa.key" --quiet | head -n 2)
[ "$(sed -n 2p <<<"$perl_greeting")" = "$(sed -n 2p <<<"$our_greeting")" ] ||
    t_fail "JWK line differs from Perl's: $(sed -n 2p <<<"$our_greeting")"
python3 - "$(sed -n 1p <<<"$perl_greeting")" "$(sed -n 1p <<<"$our_greeting")" <<'PY' || t_fail "greeting line differs from Perl's"
import json, sys
a, b = (l.strip() for l in sys.argv[1:])
assert a.startswith("1 OK ") and b.startswith("1 OK "), (a, b)
assert json.loads(a[5:]) == json.loads(b[5:]), (a, b)
PY
t_pass "greeting for an RSA key matches Perl lacme-accountd's (JWK line byte for byte)"

# keyid: kid in the greeting, {} as JWK
printf 'privkey = file:%s\nkeyid = https://ca.example/acct/42\nquiet = Yes\n' "$T/p256.key" >"$T/kid.conf"
kid_greeting=$(printf '' | "$ACCOUNTD" --stdio --config="$T/kid.conf" | tr -d '\r')
grep -q '"kid":"https://ca.example/acct/42"' <<<"$kid_greeting" || t_fail "no kid in greeting: $kid_greeting"
[ "$(sed -n 2p <<<"$kid_greeting")" = "{}" ] || t_fail "JWK line with keyid is not {}: $kid_greeting"
grep -q '"alg":"ES256"' <<<"$kid_greeting" || t_fail "P-256 key does not announce ES256"
t_pass "keyid: kid in the greeting and an empty JWK"

# Bad keys and configuration: one clear line, non-zero exit.
t_keygen "$T/ed25519.key" ed25519
openssl genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:2048 -out "$T/dsa.param" 2>/dev/null
openssl genpkey -paramfile "$T/dsa.param" -out "$T/dsa.key" 2>/dev/null
echo "not a key" >"$T/garbage.key"
t_expect_fail "nonexistent key file" "can't open $T/nope.key: No such file" "$ACCOUNTD" --stdio --privkey="file:$T/nope.key"
t_expect_fail "Ed25519 key refused" "unsupported key type ED25519" "$ACCOUNTD" --stdio --privkey="file:$T/ed25519.key"
t_expect_fail "DSA key refused" "unsupported key type DSA" "$ACCOUNTD" --stdio --privkey="file:$T/dsa.key"
t_expect_fail "garbage key file" "not a PEM private key" "$ACCOUNTD" --stdio --privkey="file:$T/garbage.key"
t_expect_fail "unreadable key (a directory)" "can't read $T: Is a directory" "$ACCOUNTD" --stdio --privkey="file:$T"
t_expect_fail "unsupported privkey method" "unsupported method: foo:bar" "$ACCOUNTD" --stdio --privkey=foo:bar
t_expect_fail "no privkey" "'privkey' is not specified" "$ACCOUNTD" --stdio --config=/dev/null
printf 'privkey = file:%s\nfrobnicate = 1\n' "$T/rsa.key" >"$T/bad.conf"
t_expect_fail "unknown config key names file and line" "$T/bad.conf:2: unknown key 'frobnicate'" "$ACCOUNTD" --stdio --config="$T/bad.conf"
printf '[accountd]\nprivkey = file:%s\n' "$T/rsa.key" >"$T/badsection.conf"
t_expect_fail "sections are refused" "badsection.conf:1: unknown section \[accountd\]" "$ACCOUNTD" --stdio --config="$T/badsection.conf"
t_expect_fail "unknown option" "unknown option --frobnicate" "$ACCOUNTD" --frobnicate
t_expect_fail "missing config file" "can't open $T/none.conf" "$ACCOUNTD" --config="$T/none.conf"

# Encrypted PEM: passphrase from a file; wrong passphrase is one clear line.
openssl pkey -in "$T/p256.key" -aes256 -passout pass:s3cret -out "$T/enc.key" 2>/dev/null
printf 's3cret\n' >"$T/pass"; printf 'wrong\n' >"$T/badpass"
printf 'privkey = file:%s\npassphrase-file = %s\n' "$T/enc.key" "$T/pass" >"$T/enc.conf"
printf '' | "$ACCOUNTD" --stdio --config="$T/enc.conf" --quiet | head -n 1 | grep -q ES256 || t_fail "encrypted key did not load"
printf 'privkey = file:%s\npassphrase-file = %s\n' "$T/enc.key" "$T/badpass" >"$T/encbad.conf"
t_expect_fail "wrong passphrase" "wrong passphrase" "$ACCOUNTD" --stdio --config="$T/encbad.conf"
out=$("$ACCOUNTD" --stdio --config="$T/encbad.conf" 2>&1 </dev/null || true)
grep -q wrong <<<"$out" && ! grep -q s3cret <<<"$out" || t_fail "passphrase leaked or not reported: $out"
t_pass "encrypted PEM with a passphrase file"

# gpg: keys, decrypted by running the configured gpg command (as lacme-accountd 0.8).
t_require gpg
export GNUPGHOME="$T/gnupg"; mkdir -m 0700 "$GNUPGHOME"
gpg --batch --quiet --pinentry-mode loopback --passphrase test --symmetric -o "$T/p256.key.gpg" "$T/p256.key"
printf 'privkey = gpg:%s\ngpg = gpg --quiet --batch --pinentry-mode loopback --passphrase test\n' "$T/p256.key.gpg" >"$T/gpg.conf"
[ "$(printf '' | "$ACCOUNTD" --stdio --config="$T/gpg.conf" --quiet | sed -n 2p)" = \
  "$(printf '' | "$ACCOUNTD" --stdio --privkey="file:$T/p256.key" --quiet | sed -n 2p)" ] || t_fail "gpg: key differs"
printf 'privkey = gpg:%s\ngpg = gpg --quiet --batch --pinentry-mode loopback --passphrase nope\n' "$T/p256.key.gpg" >"$T/gpgbad.conf"
t_expect_fail "gpg failure is reported with its exit status" "gpg exited with value 2" "$ACCOUNTD" --stdio --config="$T/gpgbad.conf"
t_pass "gpg-encrypted account key"

# Socket directory permissions
mkdir -p "$T/open"; chmod 0777 "$T/open"
t_expect_fail "world-writable socket directory" "insecure permissions on $T/open" "$ACCOUNTD" --privkey="file:$T/rsa.key" --socket="$T/open/S.lacme"

# Daemon: socket mode, live socket not clobbered, hostile peers, concurrent peers.
t_bg "$T/accountd.log" "$ACCOUNTD" --privkey="file:$T/p256.key" --socket="$sock"
daemon=$T_LAST_PID
t_wait_for "socket" test -S "$sock"
[ "$(stat -c %a "$sock")" = 600 ] || t_fail "socket mode $(stat -c %a "$sock")"
t_expect_fail "a live socket is not clobbered" "in use by a running lacme-accountd" "$ACCOUNTD" --privkey="file:$T/p256.key" --socket="$sock"
[ "$(t_accountd_peer "$sock" sign 3)" = OK ] || t_fail "signing failed"
t_pass "daemon signs on a mode-0600 socket"

[ "$(t_accountd_peer "$sock" send-raw "$(printf 'garbage\r\n' | xxd -p)")" = CLOSED ] || t_fail "garbage line not refused"
grep -q 'NOSIGN \[malformed JWS Protected Header\]' "$T/accountd.log" || t_fail "garbage not logged as NOSIGN"
hdr=$(printf '{"alg":"ES256","url":"u","kid":"k"}' | base64 -w0 | tr '+/' '-_' | tr -d =)
[ "$(t_accountd_peer "$sock" send-raw "$(printf '%s.\r\n' "$hdr" | xxd -p)")" = CLOSED ] || t_fail "header without nonce not refused"
grep -q 'NOSIGN \[invalid JWS Protected Header\]' "$T/accountd.log" || t_fail "missing nonce not logged"
[ "$(t_accountd_peer "$sock" send-raw "$(printf 'abc.d\x00f\r\n' | xxd -p)")" = CLOSED ] || t_fail "NUL in payload not refused"
[ "$(t_accountd_peer "$sock" send-raw "$(printf 'abc.def\n' | xxd -p)")" = CLOSED ] || t_fail "bare LF not refused"
t_pass "malformed signing inputs are refused and the connection closed"

[ "$(t_accountd_peer "$sock" huge 1048576)" = CLOSED ] || t_fail "1 MB line was not refused"
grep -q 'NOSIGN \[line too long\]' "$T/accountd.log" || t_fail "overlong line not logged"
t_pass "a 1 MB line is refused without buffering it"

[ "$(t_accountd_peer "$sock" pipeline 1000)" = OK ] || t_fail "1000 pipelined requests were not all answered"
t_pass "1000 pipelined requests all answered (the daemon reads them in bounded batches)"

[ "$(t_accountd_peer "$sock" half)" = OK ] || t_fail "half-line peer"
[ "$(t_accountd_peer "$sock" concurrent 8 50)" = OK ] || t_fail "concurrent peers failed"
kill -0 "$daemon" || t_fail "daemon died"
t_pass "after hostile peers the daemon still serves 8 concurrent connections"

# SIGTERM: socket unlinked; a stale socket is then replaced by the next daemon.
kill -TERM "$daemon"; wait "$daemon" || true
[ ! -e "$sock" ] || t_fail "socket not unlinked on SIGTERM"
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$sock"
t_bg "$T/accountd2.log" "$ACCOUNTD" --privkey="file:$T/p256.key" --socket="$sock"
t_wait_for "restarted daemon" sh -c "python3 '$SRC/test/integration/accountd_peer.py' '$sock' sign 1"
t_pass "socket unlinked on SIGTERM; a stale socket is replaced"
t_done
