# SPDX-License-Identifier: GPL-3.0-or-later
# shellcheck shell=bash
# Helpers for the master_*.sh tests (sourced after lib.sh, not a test): OUR lacme master driving
# our (or Perl's) client, webserver and accountd against pebble.
LACME="$BUILD/master/lacme"
CLIENT="$BUILD/client/client"
WEBSERVER="$BUILD/webserver/webserver"
[ -x "$LACME" ] || t_fail "master not built at $LACME"

# t_master ARG...: our master with the test's configuration ($LACME_CONF, or $T/conf/lacme.conf).
t_master() { "$LACME" --config="${LACME_CONF:-$T/conf/lacme.conf}" "$@"; }

# The system users of Debian's lacme package, which our master drops the children to.
t_master_require_users() {
    getent passwd _lacme-client >/dev/null && getent passwd _lacme-www >/dev/null ||
        t_fail "users _lacme-client/_lacme-www missing (apt-get install lacme)"
}

# t_master_tmpdir: the users, a TMPDIR in $T, and the master's runtime directory $T/run (where
# it makes fresh challenge directories; made by the master itself).
t_master_tmpdir() {
    t_master_require_users
    chmod 0711 "$T"
    export TMPDIR="$T/tmp" RUNTIME_DIRECTORY="$T/run"
    mkdir -p "$TMPDIR"
    chmod 0711 "$TMPDIR"
}

# t_master_up [VAR=VALUE...]: t_master_tmpdir and pebble (arguments as t_pebble_up).
t_master_up() {
    t_master_tmpdir
    t_pebble_up "$@"
}

# t_master_conf DIR [ARG...]: t_lacme_conf with our client and webserver, dropped to lacme's users.
t_master_conf() {
    local dir=$1; shift
    t_lacme_conf "$dir" client="$CLIENT" webserver="$WEBSERVER" users=drop "$@"
}

# t_master_file_account: an account key in a file served by our accountd through the socketpair;
# writes $T/conf/lacme.conf (extra arguments go to t_master_conf) and registers the account.
t_master_file_account() {
    t_keygen "$T/account.key" p256
    printf 'privkey = file:%s\n' "$T/account.key" >"$T/accountd.conf"
    t_master_conf "$T/conf" accountd="$ACCOUNTD" accountd_config="$T/accountd.conf" "$@"
    "$LACME" --config="$T/conf/lacme.conf" account --register --tos-agreed >"$T/account.json" 2>"$T/register.log" ||
        t_fail "register: $(cat "$T/register.log")"
}


# t_master_hanging_run [CONF_ARG...]: starts our master in the background on one section whose
# client hangs (lacme.conf from t_master_file_account CONF_ARG...), and returns once the client,
# the webserver and accountd run. Sets MASTER_PID and MASTER_CHILDREN (their pids); the master's
# stderr goes to $T/hang.log.
t_master_hanging_run() {
    t_master_file_account "$@"
    t_section "$T/conf/certs.conf" www p256 www.example.org
    printf '#!/bin/sh\nexec sleep 60\n' >"$T/hanging-client"
    chmod 0755 "$T/hanging-client"
    sed "s|^command = $CLIENT|command = $T/hanging-client|" "$T/conf/lacme.conf" >"$T/conf/hang.conf"
    "$LACME" --config="$T/conf/hang.conf" newOrder --config-certs="$T/conf/certs.conf" 2>"$T/hang.log" &
    MASTER_PID=$!
    t_wait_for "client, webserver and accountd started" sh -c "[ \$(ps -o pid= --ppid $MASTER_PID | wc -l) -ge 3 ]"
    # shellcheck disable=SC2034  # for the test that sources this file
    MASTER_CHILDREN=$(ps -o pid= --ppid "$MASTER_PID" | tr -d ' ')
}

# t_master_terminate SECONDS: SIGTERM to MASTER_PID, which must exit within SECONDS; its exit
# status is left in MASTER_RC.
# shellcheck disable=SC2034  # MASTER_RC is for the test that sources this file
t_master_terminate() {
    kill -TERM "$MASTER_PID"
    timeout "$1" tail --pid="$MASTER_PID" -f /dev/null || t_fail "master still running $1 s after SIGTERM"
    MASTER_RC=0
    wait "$MASTER_PID" || MASTER_RC=$?
}
