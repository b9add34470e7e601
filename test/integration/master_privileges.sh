#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Our master's children as seen in /proc while a run is in progress: the client and the
# webserver run with the uid/gid/groups of _lacme-client/_lacme-www and nogroup, no_new_privs
# set, umask 0022, and exactly their own fds (client: 0-4; webserver: 0-3). Each is wrapped in a
# shell that records its /proc entry and then execs the real program (dash keeps its script
# and saved fds at 10 and above, which are ignored).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
t_master_up
mkdir -m 0777 "$T/proc"
for name in client webserver; do
    real=$CLIENT; [ "$name" = client ] || real=$WEBSERVER
    cat >"$T/$name-wrapper" <<SH
#!/bin/sh
cat /proc/\$\$/status >"$T/proc/$name.status"
ls /proc/\$\$/fd >"$T/proc/$name.fds"
exec "$real" "\$@"
SH
    chmod 0755 "$T/$name-wrapper"
done
t_keygen "$T/account.key" p256
printf 'privkey = file:%s\n' "$T/account.key" >"$T/accountd.conf"
t_master_conf "$T/conf" client="$T/client-wrapper" webserver="$T/webserver-wrapper" \
    accountd="$ACCOUNTD" accountd_config="$T/accountd.conf"
"$LACME" --config="$T/conf/lacme.conf" account --register --tos-agreed >/dev/null 2>"$T/register.log" ||
    t_fail "register: $(cat "$T/register.log")"
t_section "$T/conf/certs.conf" www p256 www.example.org
"$LACME" --config="$T/conf/lacme.conf" newOrder --config-certs="$T/conf/certs.conf" 2>"$T/order.log" ||
    t_fail "newOrder: $(cat "$T/order.log")"
t_verify_chain "$T/conf/www.pem" www.example.org

check_identity() {
    local name=$1 user=$2 status="$T/proc/$1.status" uid
    uid=$(id -u "$user")
    grep -qP "^Uid:\t$uid\t$uid\t$uid\t$uid$" "$status" || t_fail "$name uid: $(grep Uid "$status")"
    grep -qP "^Gid:\t65534\t65534\t65534\t65534$" "$status" || t_fail "$name gid: $(grep Gid "$status")"
    grep -qP "^Groups:\t65534 ?$" "$status" || t_fail "$name groups: $(grep Groups "$status")"
    grep -qP "^NoNewPrivs:\t1$" "$status" || t_fail "$name no_new_privs: $(grep NoNewPrivs "$status")"
    grep -qP "^Umask:\t0022$" "$status" || t_fail "$name umask: $(grep Umask "$status")"
    grep -qP "^CapEff:\t0+$" "$status" || t_fail "$name has capabilities: $(grep CapEff "$status")"
}
check_identity client _lacme-client
t_pass "client runs as _lacme-client:nogroup, groups nogroup only, no_new_privs, umask 0022, no capabilities"
check_identity webserver _lacme-www
t_pass "webserver runs as _lacme-www:nogroup, groups nogroup only, no_new_privs, umask 0022, no capabilities"

fds() { awk '$1 < 10' "$T/proc/$1.fds" | sort -n | tr '\n' ' '; }
[ "$(fds client)" = "0 1 2 3 4 " ] || t_fail "client fds: $(cat "$T/proc/client.fds")"
t_pass "client holds only stdin, stdout, stderr, CONFIG_FD 3 and SOCKET_FD 4"
[ "$(fds webserver)" = "0 1 2 3 " ] || t_fail "webserver fds: $(cat "$T/proc/webserver.fds")"
t_pass "webserver holds only stdin, stdout, stderr and its listening socket 3"
t_done
