#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# dns-01 by RFC 2136 with nothing but dns-update-server and dns-tsig-key: the zone is found by
# SOA lookups at the server, and the servers that must see the records are the zone's
# authoritative ones, found through the system's resolver (NS example.org -> ns1.example.org ->
# 127.0.0.1). That needs a resolver on port 53, so the test runs in its own network namespace
# (only its loopback: BIND on 127.0.0.1:53, pebble) and mount namespace (its own
# /etc/resolv.conf naming 127.0.0.1).
if [ -z "${_T_IN_NET_NAMESPACE:-}" ]; then
    exec env _T_IN_NET_NAMESPACE=1 unshare --net --mount --propagation private -- "$BASH" "$0" "$@"
fi
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
source "$(dirname "$0")/bind_lib.sh"
t_require ip
ip link set lo up
echo "nameserver 127.0.0.1" >"$T/resolv.conf"
mount --bind "$T/resolv.conf" /etc/resolv.conf
t_bind_up 53
PEBBLE_DNSSERVER="127.0.0.1:53" t_master_up PEBBLE_AUTHZREUSE=0
t_master_file_account
install -m 0600 "$BIND_DIR/key.conf" "$T/conf/tsig.key"

t_rfc2136_section "$T/conf/wild.conf" wild "dns-update-server = 127.0.0.1" "dns-tsig-key = $T/conf/tsig.key"
"$LACME" --config="$T/conf/lacme.conf" --debug newOrder --config-certs="$T/conf/wild.conf" 2>"$T/wild.log" ||
    t_fail "dns-01 order failed: $(tail -n 20 "$T/wild.log")"
t_verify_chain "$T/conf/wild.pem" example.org '\*.example.org'
[ "$(t_bind_adds)" -eq 2 ] || t_fail "expected BIND to log 2 TXT adds: $(grep -i update "$T/named.log")"
grep -q "zone of _acme-challenge.example.org at 127.0.0.1:53: example.org" "$T/wild.log" ||
    t_fail "no zone found by SOA lookup: $(grep -i zone "$T/wild.log")"
# The propagation check asked BIND on port 53 as the zone's NS, found through resolv.conf.
grep -q "authoritative servers of example.org: ns1.example.org" "$T/wild.log" || t_fail "no sign of the NS lookup: $(grep -i dns "$T/wild.log")"
t_bind_no_txt_left
t_pass "issued with the zone from SOA lookups and the propagation servers from the zone's NS; nothing left"
t_done
