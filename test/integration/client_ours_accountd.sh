#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Debian's Perl lacme master + OUR client + OUR lacme-accountd (P-256 key, ES256) against pebble.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/client_lib.sh"
[ -x "$ACCOUNTD" ] || t_fail "our lacme-accountd is not built at $ACCOUNTD"
client_pairing_scenario "$ACCOUNTD" p256
