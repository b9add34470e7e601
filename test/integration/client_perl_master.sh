#!/usr/bin/env bash
# Debian's Perl lacme master + OUR client + Perl lacme-accountd (RSA key) against pebble.
source "$(dirname "$0")/lib.sh"
t_require lacme-accountd
ACCOUNTD_CMD=lacme-accountd
ACCOUNT_KEY_TYPE=rsa2048
source "$(dirname "$0")/client_pairing.bash"
