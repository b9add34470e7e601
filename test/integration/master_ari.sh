#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# ARI-driven renewal by our master (RFC 9773), against client_helper.py's fake CA (pebble 2.4
# serves no renewalInfo; the fake CA issues nothing, its orders log shows what was asked): a
# certificate far from expiry is kept while the CA's window lies ahead, renewed once the window
# has started, and the order carries `replaces` with the installed certificate's ARI identifier;
# --force renews without asking for the window but still says what it replaces.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
source "$(dirname "$0")/client_lib.sh"
t_master_tmpdir
HTTP01_PORT=$((PORT0 + 4))
PEBBLE_URL="https://127.0.0.1:$PORT0/dir"
PEBBLE_ROOTS="$TEST_TLS_DIR/pebble.crt"
t_keygen "$T/account.key" p256
printf 'privkey = file:%s\n' "$T/account.key" >"$T/accountd.conf"
t_master_conf "$T/conf" accountd="$ACCOUNTD" accountd_config="$T/accountd.conf"
t_section "$T/conf/certs.conf" www p256 www.example.org
# An installed certificate for the service key, valid 90 days, with an AKI (its own SKI).
openssl req -x509 -new -key "$T/conf/www.key" -subj /CN=www.example.org -set_serial 0x1234 -days 90 \
    -addext subjectKeyIdentifier=hash -addext authorityKeyIdentifier=keyid:always -out "$T/conf/www.pem" 2>/dev/null
cert_id=$(python3 "$HELPER" ari-id "$T/conf/www.pem")
installed=$(sha256sum <"$T/conf/www.pem")
new_order() { t_master newOrder --config-certs="$T/conf/certs.conf" "$@"; }

export ARI_LOG="$T/ari.log" ORDER_LOG="$T/orders.log"
touch "$ARI_LOG" "$ORDER_LOG"
ARI_START=2099-01-01T00:00:00Z ARI_END=2099-01-02T00:00:00Z fake_ca "$PORT0" ari
new_order --json >"$T/keep.json" 2>"$T/keep.log" || t_fail "window ahead: $(cat "$T/keep.log")"
[ "$(cat "$ARI_LOG")" = "$cert_id" ] || t_fail "renewalInfo not asked for $cert_id: $(cat "$ARI_LOG")"
grep -q '"status":"skipped"' "$T/keep.json" || t_fail "not skipped: $(cat "$T/keep.json")"
[ ! -s "$ORDER_LOG" ] || t_fail "an order was sent while the window lies ahead: $(cat "$ORDER_LOG")"
t_pass "window ahead: the master asks renewalInfo/$cert_id and keeps the certificate, no order"

kill "$T_LAST_PID"; wait "$T_LAST_PID" 2>/dev/null || true
: >"$ARI_LOG"
ARI_START=2020-01-01T00:00:00Z ARI_END=2020-01-02T00:00:00Z fake_ca "$PORT0" ari
rc=0
new_order >/dev/null 2>"$T/renew.log" || rc=$?
[ "$rc" -eq 1 ] || t_fail "window started: exit $rc (the fake CA issues nothing): $(cat "$T/renew.log")"
grep -q "\"replaces\":\"$cert_id\"" "$ORDER_LOG" || t_fail "order without replaces=$cert_id: $(cat "$ORDER_LOG")"
grep -q '^\[www\] Error: newOrder: .*this fake CA issues nothing' "$T/renew.log" && grep -q '^\[www\] FAILED' "$T/renew.log" ||
    t_fail "no failure lines: $(cat "$T/renew.log")"
! grep -q renewalInfo "$T/renew.log" || t_fail "renewal-info's lookup printed errors: $(cat "$T/renew.log")"
[ "$(sha256sum <"$T/conf/www.pem")" = "$installed" ] || t_fail "the installed certificate changed"
t_pass "window started: the master orders with replaces=$cert_id though min-days would wait"

: >"$ARI_LOG"; : >"$ORDER_LOG"
new_order --force >/dev/null 2>"$T/force.log" || true
grep -q "\"replaces\":\"$cert_id\"" "$ORDER_LOG" || t_fail "--force order without replaces: $(cat "$ORDER_LOG")"
[ ! -s "$ARI_LOG" ] || t_fail "--force asked for the window: $(cat "$ARI_LOG")"
t_pass "--force orders at once, with replaces"
t_done
