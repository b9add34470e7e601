# Helpers for the master_*.sh tests (sourced after lib.sh, not a test): OUR lacme master driving
# our (or Perl's) client, webserver and accountd against pebble.
LACME="$BUILD/master/lacme"
CLIENT="$BUILD/client/client"
WEBSERVER="$BUILD/webserver/webserver"
[ -x "$LACME" ] || t_fail "master not built at $LACME"

# The system users of Debian's lacme package, which our master drops the children to.
t_master_require_users() {
    getent passwd _lacme-client >/dev/null && getent passwd _lacme-www >/dev/null ||
        t_fail "users _lacme-client/_lacme-www missing (apt-get install lacme)"
}

# t_master_tmpdir: the users, and a TMPDIR in $T (made traversable: the dropped children must
# reach the challenge dir in it).
t_master_tmpdir() {
    t_master_require_users
    chmod 0711 "$T"
    export TMPDIR="$T/tmp"
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

# t_section FILE NAME KEYTYPE DOMAIN...: appends a certificate section to FILE (key generated
# beside it, chain installed as DIR/NAME.pem).
t_section() {
    local file=$1 name=$2 type=$3; shift 3
    local dir
    dir=$(dirname "$file")
    [ -f "$dir/$name.key" ] || t_keygen "$dir/$name.key" "$type"
    local san="" d
    for d in "$@"; do san="${san:+$san,}DNS:$d"; done
    cat >>"$file" <<CONF
[$name]
certificate-key = $dir/$name.key
certificate-chain = $dir/$name.pem
subject = /CN=$1
subjectAltName = $san
CAfile = $PEBBLE_ROOTS
CONF
}
