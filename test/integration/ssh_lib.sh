# SPDX-License-Identifier: GPL-3.0-or-later
# shellcheck shell=bash
# A real sshd on 127.0.0.1 for the tests (sourced after lib.sh, not a test).
#
# t_sshd_up [LINE...]: sshd on 127.0.0.1:$SSH_PORT (sets SSH_PORT) with its own host key
# (trusted by $T/ssh/known_hosts) and keys from $T/ssh/authorized_keys. Each LINE goes into
# sshd_config before the defaults, so it wins (sshd keeps a keyword's first value); from a
# line starting with "Match" on, they go after the defaults instead. Its log: $T/sshd.log.
t_sshd_up() {
    t_require sshd; t_require ssh; t_require ssh-keygen
    SSH_PORT=$((PORT0 + 10))
    mkdir -p "$T/ssh" /run/sshd
    [ -f "$T/ssh/host_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$T/ssh/host_key"
    local line head="" tail=""
    for line in "$@"; do
        if [ -n "$tail" ] || [[ $line == Match* ]]; then tail+="$line"$'\n'; else head+="$line"$'\n'; fi
    done
    cat >"$T/ssh/sshd_config" <<CONF
${head}Port $SSH_PORT
ListenAddress 127.0.0.1
HostKey $T/ssh/host_key
AuthorizedKeysFile $T/ssh/authorized_keys
StrictModes no
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin prohibit-password
AllowStreamLocalForwarding yes
PidFile $T/ssh/sshd.pid
${tail}
CONF
    printf '[127.0.0.1]:%s %s\n' "$SSH_PORT" "$(cut -d' ' -f1,2 "$T/ssh/host_key.pub")" >"$T/ssh/known_hosts"
    t_bg "$T/sshd.log" "$(command -v sshd)" -D -e -f "$T/ssh/sshd_config"
    t_wait_for "sshd listening" grep -q "Server listening" "$T/sshd.log"
}

# t_ssh_host NAME KEY: a Host NAME entry in $T/ssh/ssh_config for root@127.0.0.1:$SSH_PORT
# with private key KEY, checking the host key against $T/ssh/known_hosts.
t_ssh_host() {
    cat >>"$T/ssh/ssh_config" <<CONF
Host $1
  HostName 127.0.0.1
  Port $SSH_PORT
  User root
  IdentityFile $2
  IdentitiesOnly yes
  UserKnownHostsFile $T/ssh/known_hosts
  StrictHostKeyChecking yes
  BatchMode yes
CONF
}

# t_sshd_signer: t_sshd_up with two hosts in $T/ssh/ssh_config: "signer", whose key may only
# run OUR lacme-accountd --stdio on the account key in $T/remote (authorized_keys forced
# command), and "forwarder", whose key may only forward sockets.
t_sshd_signer() {
    mkdir -p "$T/ssh" "$T/remote"
    chmod 0700 "$T/remote"
    ssh-keygen -q -t ed25519 -N '' -f "$T/ssh/client_key"
    t_keygen "$T/remote/account.key" p256
    printf 'privkey = file:%s\n' "$T/remote/account.key" >"$T/remote/accountd.conf"
    printf 'restrict,command="%s --quiet --stdio --config=%s" %s\n' "$ACCOUNTD" "$T/remote/accountd.conf" \
        "$(cat "$T/ssh/client_key.pub")" >"$T/ssh/authorized_keys"
    ssh-keygen -q -t ed25519 -N '' -f "$T/ssh/forward_key"
    printf 'restrict,port-forwarding,command="/bin/false" %s\n' "$(cat "$T/ssh/forward_key.pub")" \
        >>"$T/ssh/authorized_keys"
    t_sshd_up
    t_ssh_host signer "$T/ssh/client_key"
    t_ssh_host forwarder "$T/ssh/forward_key"
    t_wait_for "sshd" sh -c "ssh -F '$T/ssh/ssh_config' -T signer </dev/null | head -n 1 | grep -q '^1 OK'"
}

# t_doc_block NAME: the fenced block that follows "<!-- test: NAME -->" in doc/signing-host.md.
t_doc_block() {
    awk -v tag="<!-- test: $1 -->" '
        $0 == tag { found = 1; next }
        found && /^```/ { if (inside) exit; inside = 1; next }
        inside { print }' "$SRC/doc/signing-host.md"
}

# t_doc_run NAME: runs that block as written (bash, -e: every command must succeed), with this
# shell's variables and `lacme` being our master; its output in $T/doc-NAME.log.
t_doc_run() {
    local block rc
    block=$(t_doc_block "$1")
    [ -n "$block" ] || t_fail "doc/signing-host.md has no block '$1'"
    # Not `( ... ) || t_fail`: bash ignores -e inside a command whose status is tested.
    set +e
    (
        # shellcheck disable=SC2317  # called by the documented block that eval runs
        lacme() { "$LACME" "$@"; }
        set -euo pipefail
        eval "$block"
    ) >"$T/doc-$1.log" 2>&1
    rc=$?
    set -e
    [ "$rc" -eq 0 ] || t_fail "doc/signing-host.md block '$1' failed: $(cat "$T/doc-$1.log")"
}

# t_debian_lacme_conf DIR: t_master_conf DIR, plus the two lines of Debian's lacme.conf that
# doc/signing-host.md edits (the commented-out socket and accountd command).
t_debian_lacme_conf() {
    t_master_conf "$1"
    sed -i 's|^\[client\]$|&\n#socket = %t/S.lacme|' "$1/lacme.conf"
    printf '[accountd]\n#command = /usr/bin/lacme-accountd\n' >>"$1/lacme.conf"
}

# t_signing_host_up: doc/signing-host.md sections 1 to 5, run from the doc with the variables
# of its first block pointing into $T (all users root, the signer's SoftHSM in $T/softhsm, set
# through the sshd's SetEnv) and an sshd (t_sshd_up) that reads the signer's authorized_keys and
# $T/web2-home/authorized_keys (the forwarding user of web2). Needs t_master_up first.
# Ends with web1 ($T/web1/lacme.conf) registered and its policy at "operations = order".
t_signing_host_up() {
    t_softhsm_conf
    # The documentation's blocks (t_doc_run) read these: the names the guide uses.
    # shellcheck disable=SC2034
    SIGNER_USER=root SIGNER_HOME="$T/signer" CA_URL="https://127.0.0.1:$PORT0/" WEB1_ADDRESS=127.0.0.1
    # shellcheck disable=SC2034
    SIGNER_HOST=127.0.0.1 WEB_ETC="$T/web1" WEB_RUN="$T/web2-run" WEB2_HOST=127.0.0.1 FORWARD_USER=root
    mkdir -p "$SIGNER_HOME" "$WEB_ETC" "$T/web2-home"
    local -a match
    mapfile -t match < <(t_doc_block sshd-signer | sed 's/_lacme-accountd/root/'; t_doc_block sshd-web | sed 's/lacme-forward/root/')
    t_sshd_up "AuthorizedKeysFile $SIGNER_HOME/.ssh/authorized_keys $T/web2-home/authorized_keys" \
        "SetEnv SOFTHSM2_CONF=$SOFTHSM2_CONF" "${match[@]}"
    # shellcheck disable=SC2034
    SIGNER_PORT=$SSH_PORT WEB2_PORT=$SSH_PORT
    t_doc_run signer-token
    t_doc_run signer-accountd
    t_doc_run signer-policy
    t_doc_run web-ssh
    cp "$WEB_ETC/signer_key.pub" "$SIGNER_HOME/keys/web1.pub"
    t_doc_run signer-authorized-keys
    t_debian_lacme_conf "$WEB_ETC"
    t_doc_run web-lacme-conf
    t_doc_run web-register
    t_doc_run signer-policy-order-only
}
