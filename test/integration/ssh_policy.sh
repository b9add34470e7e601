#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The signing policy through a real sshd, on the setup of doc/signing-host.md (t_signing_host_up:
# web1 may only order web1.example.org and names below it) plus web4 (order revoke account
# deactivate keychange for web4.example.org, one newOrder an hour), the account key on SoftHSM,
# our master and pebble: allowed names issue; each refusal (a name outside the policy in a
# newOrder or in a finalize CSR, revoking another name's certificate, deactivation, keyChange and
# contact update without the operation, the rate limit reached in a second SSH session, a url
# outside `ca`) happens before anything is signed for it, and shows as a NOSIGN log line, an
# audit record with its label and reason, and one line in lacme's output where lacme asked. A
# policy file broken on the signer: its file:line error reaches lacme, nothing is signed. Last,
# an SSH client killed in the middle of an order: the signer's process exits, the state
# directory holds no partial file, and the next order succeeds.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
source "$(dirname "$0")/ssh_lib.sh"
t_require jq
# No nonce rejection: the newOrder rate limit counts each signature of a newOrder, so a badNonce
# retry of web4's first order would count twice against its limit of one an hour (a known
# limitation, in the closing note of issue 11): with pebble's default 5% that failed 1 run in 20.
t_master_up PEBBLE_WFE_NONCEREJECT=0
t_signing_host_up

# web4, set up as the doc sets up web1.
mkdir -p "$T/web4"
printf '[policy]\nlabel = web4\nca = %s\nidentifiers = web4.example.org\n%s\n%s\nstate-directory = %s\n' "$CA_URL" \
    'operations = order revoke account deactivate keychange' 'max-orders-per-hour = 1' "$SIGNER_HOME/state" \
    >"$SIGNER_HOME/policies/web4.policy"
ssh-keygen -q -t ed25519 -N '' -f "$T/web4/signer_key"
"$ACCOUNTD" --authorized-keys-line --config="$SIGNER_HOME/lacme-accountd.conf" --policy="$SIGNER_HOME/policies/web4.policy" \
    --from=127.0.0.1 "$T/web4/signer_key.pub" >>"$SIGNER_HOME/.ssh/authorized_keys"
sed "s|$T/web1/signer_key|$T/web4/signer_key|" "$T/web1/signer.ssh_config" >"$T/web4/signer.ssh_config"
t_master_conf "$T/web4" accountd="ssh -F $T/web4/signer.ssh_config -T lacme-signer lacme-accountd"

ca="https://127.0.0.1:$PORT0"
audit_mark() { wc -l <"$SIGNER_HOME/audit.log"; }
audit_since() { tail -n +"$(($1 + 1))" "$SIGNER_HOME/audit.log"; }
# audit_has MARK CONDITION [JQ_OPTION...]: an audit record since MARK meets the jq CONDITION.
audit_has() {
    local mark=$1 condition=$2
    shift 2
    audit_since "$mark" | jq -s -e "$@" "any(.[]; $condition)" >/dev/null
}
# ask WEB PATH PAYLOAD [ACTION]: accountd_peer.py's ask (or ACTION) through WEB's ssh command, for
# the url $ca/PATH: prints SIGNED or the NOSIGN line.
ask() { t_accountd_peer "exec:ssh -F $T/$1/signer.ssh_config -T lacme-signer lacme-accountd" "${4:-ask}" "$ca/$2" kid "$3"; }
# refused WHAT MARK LABEL OPERATION REASON: the NOSIGN log line and the audit record since MARK,
# and nothing signed since MARK but look-ups, GETs and challenges.
refused() {
    local what=$1 mark=$2 label=$3 op=$4 reason=$5
    # shellcheck disable=SC2016  # a jq program: $l, $op and $r are jq's --arg variables
    audit_has "$mark" '.outcome == "refused" and .label == $l and .operation == $op and .reason == $r' \
        --arg l "$label" --arg op "$op" --arg r "$reason" ||
        t_fail "$what: no audit record ($label, $op, $reason) in: $(audit_since "$mark")"
    grep -qF "NOSIGN [$reason]" "$SIGNER_HOME/accountd.log" || t_fail "$what: no NOSIGN line for: $reason"
    ! audit_has "$mark" '.outcome == "signed" and (.operation | IN("lookup", "get", "challenge") | not)' ||
        t_fail "$what: something was signed: $(audit_since "$mark")"
}
# lacme_refused WHAT LABEL OPERATION REASON CMD...: CMD (a lacme run) fails, printing the
# refusal once in a short output (at most: what it does, the signer's NOSIGN line relayed by
# ssh from its stderr, the refusal, what was not done, which may name the refusal again: a
# section's summary line), and `refused` holds. Only stderr counts: revokeCert prints the
# certificate on stdout first, as lacme 0.8 does.
lacme_refused() {
    local what=$1 label=$2 op=$3 reason=$4 mark out rc=0
    shift 4
    mark=$(audit_mark)
    out=$("$@" 2>&1 >"$T/refused.stdout") || rc=$?
    [ "$rc" -ne 0 ] || t_fail "$what: lacme succeeded: $out"
    [ "$(grep -vF '] FAILED: ' <<<"$out" | grep -cF "lacme-accountd refused to sign: $reason")" = 1 ] ||
        t_fail "$what: lacme said: $out"
    [ "$(wc -l <<<"$out")" -le 4 ] || t_fail "$what: lacme's output is not short: [$out]"
    refused "$what" "$mark" "$label" "$op" "$reason"
    t_pass "$what: refused (lacme: one line; NOSIGN and audit record with label $label)"
}
# b64der PEM_FILE KIND: the DER of a PEM CSR (req) or certificate (x509) in base64url.
b64der() { openssl "$2" -in "$1" -outform DER | basenc --base64url -w0 | tr -d '='; }

# Allowed names issue.
t_section "$T/web1/certs.conf" own p256 web1.example.org a.web1.example.org
"$LACME" --config="$T/web1/lacme.conf" newOrder --config-certs="$T/web1/certs.conf" own 2>"$T/web1/own.log" ||
    t_fail "web1 newOrder: $(cat "$T/web1/own.log")"
t_verify_chain "$T/web1/own.pem" web1.example.org a.web1.example.org
t_pass "web1 issues for names its policy allows"

# newOrder with one name outside.
t_section "$T/web1/certs.conf" mixed p256 web1.example.org evil.example.org
lacme_refused "newOrder with a name outside the policy" web1 order \
    'identifier dns:evil.example.org not allowed by policy "web1"' \
    "$LACME" --config="$T/web1/lacme.conf" newOrder --config-certs="$T/web1/certs.conf" mixed
[ ! -e "$T/web1/mixed.pem" ] || t_fail "a certificate was installed for the refused order"

# finalize whose CSR carries an extra name: crafted, next to the same CSR without it.
openssl req -new -key "$T/web1/own.key" -subj /CN=web1.example.org -out "$T/extra.csr" \
    -addext "subjectAltName=DNS:web1.example.org,DNS:evil2.example.org" 2>/dev/null
openssl req -new -key "$T/web1/own.key" -subj /CN=web1.example.org -out "$T/own.csr" \
    -addext "subjectAltName=DNS:web1.example.org" 2>/dev/null
mark=$(audit_mark)
out=$(ask web1 finalize/1 "{\"csr\":\"$(b64der "$T/own.csr" req)\"}")
[ "$out" = SIGNED ] || t_fail "finalize with allowed names: $out"
audit_has "$mark" '.outcome == "signed" and .operation == "order"' || t_fail "no audit record of the allowed finalize"
mark=$(audit_mark)
out=$(ask web1 finalize/2 "{\"csr\":\"$(b64der "$T/extra.csr" req)\"}")
[ "$out" = 'NOSIGN identifier dns:evil2.example.org not allowed by policy "web1"' ] || t_fail "finalize: $out"
refused "finalize" "$mark" web1 order 'identifier dns:evil2.example.org not allowed by policy "web1"'
t_pass "finalize whose CSR carries a name outside the policy refused (the same CSR without it signed)"

# revokeCert: web4 may revoke, but only certificates of its names; web1 may not revoke at all.
lacme_refused "revokeCert of another name's certificate" web4 revoke \
    'identifier dns:web1.example.org not allowed by policy "web4"' \
    "$LACME" --config="$T/web4/lacme.conf" revokeCert "$T/web1/own.pem"
lacme_refused "revokeCert without the revoke operation" web1 revoke 'operation revoke not allowed by policy "web1"' \
    "$LACME" --config="$T/web1/lacme.conf" revokeCert "$T/web1/own.pem"

# Deactivation, keyChange, contact update: refused for web1, signed for web4, which allows them
# (crafted for web4, so that no signature reaches the CA).
lacme_refused "account deactivation" web1 deactivate 'operation deactivate not allowed by policy "web1"' \
    "$LACME" --config="$T/web1/lacme.conf" account --deactivate
lacme_refused "contact update" web1 account 'operation account not allowed by policy "web1"' \
    "$LACME" --config="$T/web1/lacme.conf" account mailto:admin@web1.example.org
keychange='{"protected":"e30","payload":"e30","signature":"AA"}'
mark=$(audit_mark)
out=$(ask web1 key-change "$keychange")
[ "$out" = 'NOSIGN operation keychange not allowed by policy "web1"' ] || t_fail "keyChange: $out"
refused "keyChange" "$mark" web1 keychange 'operation keychange not allowed by policy "web1"'
t_pass "keyChange: refused (NOSIGN and audit record with label web1)"
out=$(ask web4 my-account/1 '{"status":"deactivated"}'; ask web4 key-change "$keychange"
    ask web4 my-account/1 '{"contact":["mailto:a@web4.example.org"]}')
[ "$out" = $'SIGNED\nSIGNED\nSIGNED' ] || t_fail "web4's allowed operations: $out"
t_pass "deactivation, keyChange and contact update signed where the policy allows them"

# The rate limit (web4: one newOrder an hour) reached in a second SSH session.
t_section "$T/web4/certs.conf" www p256 web4.example.org
sessions() { grep -c "Accepted publickey" "$T/sshd.log"; }
before=$(sessions)
"$LACME" --config="$T/web4/lacme.conf" newOrder --config-certs="$T/web4/certs.conf" 2>"$T/web4/first.log" ||
    t_fail "web4's first newOrder: $(cat "$T/web4/first.log")"
t_verify_chain "$T/web4/www.pem" web4.example.org
lacme_refused "newOrder over the rate limit in a second SSH session" web4 order \
    'newOrder rate limit of policy "web4" reached (1 per hour)' \
    "$LACME" --config="$T/web4/lacme.conf" newOrder --config-certs="$T/web4/certs.conf" --force
[ $(($(sessions) - before)) -eq 2 ] || t_fail "expected two SSH sessions, got $(($(sessions) - before))"

# A url outside `ca`: the same pebble, named differently.
sed "s|^server = https://127.0.0.1:|server = https://localhost:|" "$T/web1/lacme.conf" >"$T/web1/other-ca.conf"
lacme_refused "a url outside the policy's ca" web1 lookup \
    "url https://localhost:$PORT0/sign-me-up is outside the ca allowed by policy \"web1\"" \
    "$LACME" --config="$T/web1/other-ca.conf" account

# A policy file broken after its authorized_keys line was made: the signer refuses to start, and
# its file:line error reaches the web host through ssh.
cp "$SIGNER_HOME/policies/web4.policy" "$T/web4.policy.good"
sed -i 's/^identifiers = /identifers = /' "$SIGNER_HOME/policies/web4.policy"
mark=$(audit_mark)
out=$("$LACME" --config="$T/web4/lacme.conf" account 2>&1) && t_fail "lacme ran with a broken policy: $out"
grep -qF "lacme-accountd: Error: $SIGNER_HOME/policies/web4.policy:4: unknown key 'identifers'" <<<"$out" ||
    t_fail "no file:line error from the signer: $out"
[ "$(audit_mark)" = "$mark" ] || t_fail "the signer audited requests under a broken policy: $(audit_since "$mark")"
cp "$T/web4.policy.good" "$SIGNER_HOME/policies/web4.policy"
t_pass "a malformed policy on the signer: lacme shows the signer's file:line error, nothing signed"

# The SSH client killed in the middle of an order (after its newOrder was signed).
signer_pids() {
    pgrep -f -x "$ACCOUNTD --quiet --stdio --config=$SIGNER_HOME/lacme-accountd.conf --policy=$SIGNER_HOME/policies/web1.policy" || true
}
[ -z "$(signer_pids)" ] || t_fail "a signer process is left from earlier runs: $(signer_pids)"
orders=$(wc -l <"$SIGNER_HOME/state/web1.orders")
out=$(ask web1 new-order '{"identifiers":[{"type":"dns","value":"web1.example.org"}]}' ask-kill)
[ "$out" = SIGNED ] || t_fail "the newOrder before the kill: $out"
no_signer() { [ -z "$(signer_pids)" ]; }
t_wait_for "the signer process to exit" no_signer
stray=$(find "$SIGNER_HOME/state" -mindepth 1 ! -regex '.*/web[0-9]+\.\(lock\|orders\)')
[ -z "$stray" ] || t_fail "stray files in the state directory: $stray"
[ "$(grep -cxE '[0-9]+' "$SIGNER_HOME/state/web1.orders")" = $((orders + 1)) ] ||
    t_fail "web1.orders is not the previous list plus the killed session's order: $(cat "$SIGNER_HOME/state/web1.orders")"
jq -e . "$SIGNER_HOME/audit.log" >/dev/null || t_fail "the audit log holds a partial line"
t_section "$T/web1/certs.conf" after p256 b.web1.example.org
"$LACME" --config="$T/web1/lacme.conf" newOrder --config-certs="$T/web1/certs.conf" after 2>"$T/web1/after.log" ||
    t_fail "web1 newOrder after the kill: $(cat "$T/web1/after.log")"
t_verify_chain "$T/web1/after.pem" b.web1.example.org
t_pass "an SSH client killed mid-order: the signer exits cleanly, no partial state, the next order issues"
t_done
