#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Debian's Perl lacme master + OUR client + Perl lacme-accountd (RSA key) against pebble.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/client_lib.sh"
t_require lacme-accountd
client_pairing_scenario lacme-accountd rsa2048
