#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# examples/systemd/lacme.service and lacme.timer: systemd accepts both, the timer fires twice a
# day (randomised, persistent), the service's exposure score (systemd-analyze security, offline)
# does not get worse than 4.7, and our master renews under exactly the unit's
# CapabilityBoundingSet (setpriv bounds the capabilities as systemd does): children dropped to
# their users and stopped, the certificate installed with a section's chown and chmod. Without
# CAP_FOWNER that install fails, so the set is not larger than it needs to be for nothing.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
t_require systemd-analyze
t_require setpriv
service="$SRC/examples/systemd/lacme.service"
timer="$SRC/examples/systemd/lacme.timer"

out=$(systemd-analyze verify --man=no "$service" "$timer" 2>&1) && [ -z "$out" ] || t_fail "systemd-analyze verify: $out"
t_pass "systemd-analyze verify accepts lacme.service and lacme.timer"

[ "$(t_unit_value "$service" ExecStart)" = "/usr/sbin/lacme newOrder" ] && [ "$(t_unit_value "$service" Type)" = oneshot ] ||
    t_fail "lacme.service is not a oneshot lacme newOrder"
[ "$(t_unit_value "$timer" Persistent)" = true ] && [ -n "$(t_unit_value "$timer" RandomizedDelaySec)" ] ||
    t_fail "lacme.timer is not persistent and randomised"
elapses=$(TZ=UTC systemd-analyze calendar --iterations=4 "$(t_unit_value "$timer" OnCalendar)" |
    grep -oE '(elapse|Iter\. #[0-9]):.* [0-9]{2}:[0-9]{2}:[0-9]{2} UTC$' | grep -oE '[0-9]{2}:[0-9]{2}:[0-9]{2}' | sort | uniq -c | tr -s ' ' | paste -sd' ')
[ "$elapses" = " 2 00:00:00  2 12:00:00" ] || t_fail "lacme.timer does not fire at 00:00 and 12:00 each day: $elapses"
t_pass "lacme.service runs lacme newOrder once; lacme.timer twice a day, randomised, persistent"

score=$(systemd-analyze security --offline=true --no-pager "$service" 2>&1 | sed -n 's/.*Overall exposure level for lacme.service: \([0-9.]*\).*/\1/p')
[ -n "$score" ] || t_fail "no exposure level from systemd-analyze security"
awk -v s="$score" 'BEGIN { exit !(s <= 4.7) }' || t_fail "lacme.service's exposure level rose to $score"
t_pass "systemd-analyze security: lacme.service exposure $score"

# The unit's bounding set, as setpriv's list.
caps=$(t_unit_caps "$service")
[ -n "$caps" ] || t_fail "lacme.service has no CapabilityBoundingSet"
t_master_up
t_master_file_account
mkdir -p "$T/certs"
t_certs_conf "$T/certs" www www.units.example.org
printf 'chown = _lacme-www:nogroup\nchmod = 0640\n' >>"$T/certs/certs.conf"
renew() { setpriv --bounding-set="-all,$1" --inh-caps=-all -- "$LACME" --config="$T/conf/lacme.conf" newOrder --config-certs="$T/certs/certs.conf" --force; }
renew "$caps" >"$T/order.log" 2>&1 || t_fail "newOrder under the unit's capabilities ($caps): $(cat "$T/order.log")"
t_verify_chain "$T/certs/www.pem" www.units.example.org
[ "$(stat -c %U:%a "$T/certs/www.pem")" = _lacme-www:640 ] || t_fail "installed as $(stat -c %U:%a "$T/certs/www.pem")"
t_pass "our master renews under exactly the unit's bounding set ($caps), chown and chmod applied"

t_expect_fail "without CAP_FOWNER the chown'd install fails" "Operation not permitted|Permission denied" \
    renew "${caps//,+fowner/}"
t_done
