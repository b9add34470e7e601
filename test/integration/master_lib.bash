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

# t_master_conf DIR [client=CMD] [webserver=CMD] [accountd=CMD] [accountd_config=FILE]
#   [listen=ADDR] [users=drop|keep] [extra_webserver=LINE]: DIR/lacme.conf for our master.
# users=drop (default) keeps lacme's _lacme-client/_lacme-www/nogroup defaults.
t_master_conf() {
    local dir=$1; shift
    local client=$CLIENT web=$WEBSERVER accountd="" accountd_config="" listen="127.0.0.1:$HTTP01_PORT" users=drop
    local extra_web="" arg
    for arg in "$@"; do
        case $arg in
            client=*) client=${arg#client=} ;;
            webserver=*) web=${arg#webserver=} ;;
            accountd=*) accountd=${arg#accountd=} ;;
            accountd_config=*) accountd_config=${arg#accountd_config=} ;;
            listen=*) listen=${arg#listen=} ;;
            users=*) users=${arg#users=} ;;
            extra_webserver=*) extra_web=${arg#extra_webserver=} ;;
            *) t_fail "t_master_conf: unknown argument $arg" ;;
        esac
    done
    mkdir -p "$dir"
    {
        printf '[client]\nserver = %s\ncommand = %s\n' "$PEBBLE_URL" "$client"
        [ "$users" = drop ] || printf 'user =\ngroup =\n'
        printf '[webserver]\nlisten = %s\ncommand = %s\n' "$listen" "$web"
        [ "$users" = drop ] || printf 'user =\ngroup =\n'
        [ -z "$extra_web" ] || printf '%s\n' "$extra_web"
        if [ -n "$accountd" ]; then
            printf '[accountd]\ncommand = %s\n' "$accountd"
            [ -z "$accountd_config" ] || printf 'config = %s\n' "$accountd_config"
        fi
    } >"$dir/lacme.conf"
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
