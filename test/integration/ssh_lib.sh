# A real sshd on 127.0.0.1 for the tests (sourced after lib.sh, not a test): t_sshd_signer
# starts it with two hosts in $T/ssh/ssh_config: "signer", whose key may only run OUR
# lacme-accountd --stdio on the account key in $T/remote (authorized_keys forced command), and
# "forwarder", whose key may only forward sockets. Sets SSH_PORT.
t_sshd_signer() {
    t_require sshd; t_require ssh; t_require ssh-keygen
    SSH_PORT=$((PORT0 + 10))
    mkdir -p "$T/ssh" "$T/remote" /run/sshd
    chmod 0700 "$T/remote"
    ssh-keygen -q -t ed25519 -N '' -f "$T/ssh/host_key"
    ssh-keygen -q -t ed25519 -N '' -f "$T/ssh/client_key"
    t_keygen "$T/remote/account.key" p256
    printf 'privkey = file:%s\n' "$T/remote/account.key" >"$T/remote/accountd.conf"
    printf 'restrict,command="%s --quiet --stdio --config=%s" %s\n' "$ACCOUNTD" "$T/remote/accountd.conf" \
        "$(cat "$T/ssh/client_key.pub")" >"$T/ssh/authorized_keys"
    ssh-keygen -q -t ed25519 -N '' -f "$T/ssh/forward_key"
    printf 'restrict,port-forwarding,command="/bin/false" %s\n' "$(cat "$T/ssh/forward_key.pub")" \
        >>"$T/ssh/authorized_keys"
    cat >"$T/ssh/sshd_config" <<CONF
Port $SSH_PORT
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
CONF
    printf '[127.0.0.1]:%s %s\n' "$SSH_PORT" "$(cut -d' ' -f1,2 "$T/ssh/host_key.pub")" >"$T/ssh/known_hosts"
    local name key
    for name in signer forwarder; do
        key=$([ "$name" = signer ] && echo client_key || echo forward_key)
        cat >>"$T/ssh/ssh_config" <<CONF
Host $name
  HostName 127.0.0.1
  Port $SSH_PORT
  User root
  IdentityFile $T/ssh/$key
  IdentitiesOnly yes
  UserKnownHostsFile $T/ssh/known_hosts
  StrictHostKeyChecking yes
  BatchMode yes
CONF
    done
    t_bg "$T/sshd.log" "$(command -v sshd)" -D -e -f "$T/ssh/sshd_config"
    t_wait_for "sshd" sh -c "ssh -F '$T/ssh/ssh_config' -T signer </dev/null | head -n 1 | grep -q '^1 OK'"
}
