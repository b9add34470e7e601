#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 23 item 8: a skewed local clock is named before anything is ordered. Our client against
# pebble, once with the host's clock and once two hours ahead (faketime): the CA's Date header
# on the directory gives the distance, a one-line warning with a hint, and the run goes on.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/client_lib.sh"
t_require faketime
client_direct_setup
client account 3 >/dev/null 2>"$T/register.log" || t_fail "register: $(cat "$T/register.log")"
! grep -q "clock" "$T/register.log" || t_fail "a warning with the host's own clock: $(cat "$T/register.log")"
t_pass "no clock warning when the clocks agree"

t_faketime +2h python3 "$HELPER" run --accountd "$ACCOUNTD --quiet --config=$T/accountd.conf" --config "$T/client.json" \
    -- "$CLIENT" account 0 >/dev/null 2>"$T/skewed.log" ||
    t_fail "a skewed clock stopped the run: $(cat "$T/skewed.log")"
[ "$(grep -cE "^Warning: this host's clock is (1 h 59|2 h 0) min ahead of the CA's \(Date: .* GMT\): .*timedatectl" "$T/skewed.log")" = 1 ] ||
    t_fail "no one-line warning for a clock 2 h ahead: $(cat "$T/skewed.log")"
t_pass "a clock 2 h ahead: one warning naming the distance and a hint, the run goes on"
t_done
