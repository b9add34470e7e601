# SPDX-License-Identifier: GPL-3.0-or-later
# shellcheck shell=bash
# BIND 9 for the RFC 2136 tests (sourced after lib.sh, not a test).
#
# t_bind_up PORT: named in the foreground as root (-g), its configuration, zone and journal in
# $T/bind (no rndc, no recursion), authoritative for example.org on 127.0.0.1:PORT (NS
# ns1.example.org, 127.0.0.1), with a TSIG key lacme-key ($BIND_DIR/key.conf, tsig-keygen's
# output) allowed to update any TXT record of the zone. Sets BIND_DIR, BIND_PORT.
t_bind_up() {
    t_require named; t_require tsig-keygen; t_require dig
    BIND_PORT=$1
    BIND_DIR="$T/bind"
    mkdir -p "$BIND_DIR"
    tsig-keygen -a hmac-sha256 lacme-key >"$BIND_DIR/key.conf"
    cat >"$BIND_DIR/named.conf" <<CONF
options {
    directory "$BIND_DIR";
    pid-file "$BIND_DIR/named.pid";
    listen-on port $BIND_PORT { 127.0.0.1; };
    listen-on-v6 { none; };
    recursion no;
    dnssec-validation no;
    notify no;
};
controls { };
include "$BIND_DIR/key.conf";
zone "example.org" {
    type primary;
    file "$BIND_DIR/example.org.zone";
    update-policy { grant lacme-key zonesub TXT; };
};
CONF
    cat >"$BIND_DIR/example.org.zone" <<'ZONE'
$TTL 60
@   IN SOA ns1.example.org. hostmaster.example.org. 1 3600 600 86400 60
@   IN NS  ns1.example.org.
ns1 IN A   127.0.0.1
ZONE
    t_bg "$T/named.log" named -g -c "$BIND_DIR/named.conf"
    t_wait_for "named answering" sh -c "dig +short @127.0.0.1 -p $BIND_PORT SOA example.org | grep -q ns1"
}

# t_bind_txt: the TXT values of _acme-challenge.example.org in the zone.
t_bind_txt() { dig +short +tcp +time=2 +tries=2 @127.0.0.1 -p "$BIND_PORT" TXT _acme-challenge.example.org; }

# t_bind_adds: how many TXT adds at _acme-challenge.example.org BIND logged, each from a client
# that signed with lacme-key.
t_bind_adds() {
    grep -c "/key lacme-key: updating zone 'example.org/IN': adding an RR at '_acme-challenge.example.org' TXT" \
        "$T/named.log" || true
}

# t_bind_no_txt_left: fails the test when a TXT value is left at _acme-challenge.example.org.
t_bind_no_txt_left() {
    local values
    values=$(t_bind_txt) || t_fail "BIND did not answer"
    [ -z "$values" ] || t_fail "TXT records left in BIND: $values"
}

# t_rfc2136_section FILE NAME [KEY=VALUE...]: a dns-01 section for example.org and *.example.org
# (pebble's roots as CAfile), with the KEY=VALUE lines (dns-update-server...).
t_rfc2136_section() {
    local file=$1 name=$2; shift 2
    [ -f "$T/conf/$name.key" ] || t_keygen "$T/conf/$name.key" p256
    {
        printf '[%s]\ncertificate-key = %s\ncertificate-chain = %s\n' "$name" "$T/conf/$name.key" "$T/conf/$name.pem"
        printf 'subject = /CN=example.org\nsubjectAltName = DNS:*.example.org\nCAfile = %s\n' "$PEBBLE_ROOTS"
        printf 'challenge = dns-01\n'
        local kv
        for kv in "$@"; do printf '%s\n' "$kv"; done
    } >"$file"
}
