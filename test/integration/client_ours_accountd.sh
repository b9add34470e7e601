#!/usr/bin/env bash
# Debian's Perl lacme master + OUR client + OUR lacme-accountd (P-256 key, ES256) against pebble.
source "$(dirname "$0")/lib.sh"
[ -x "$ACCOUNTD" ] || t_fail "our lacme-accountd is not built at $ACCOUNTD"
ACCOUNTD_CMD=$ACCOUNTD
ACCOUNT_KEY_TYPE=p256
source "$(dirname "$0")/client_pairing.bash"
