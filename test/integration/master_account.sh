#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Our master: account --register --tos-agreed, then contact update, then show; the client's
# stdout (the account object) is lacme's stdout; the client runs as _lacme-client.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
t_master_up
t_master_file_account
grep -q '"status" *: *"valid"' "$T/account.json" || t_fail "register printed no valid account: $(cat "$T/account.json")"
t_pass "account --register --tos-agreed prints the new account"

"$LACME" --config="$T/conf/lacme.conf" account mailto:b@example.org >"$T/update.json" 2>"$T/update.log" ||
    t_fail "update: $(cat "$T/update.log")"
grep -q 'mailto:b@example.org' "$T/update.json" || t_fail "contact not updated: $(cat "$T/update.json")"
t_pass "account CONTACT updates the contacts"

"$LACME" --config="$T/conf/lacme.conf" --debug account >"$T/show.json" 2>"$T/show.log" || t_fail "show: $(cat "$T/show.log")"
grep -q 'mailto:b@example.org' "$T/show.json" || t_fail "account shows stale contacts"
t_pass "account without arguments prints the account"

rc=0
"$LACME" --config="$T/conf/lacme.conf" account --bogus >/dev/null 2>"$T/usage.log" || rc=$?
[ "$rc" -eq 2 ] || t_fail "unknown option: exit $rc, expected 2"
grep -q "Unknown option" "$T/usage.log" || t_fail "unknown option not named: $(cat "$T/usage.log")"
t_pass "unknown option exits 2"

rc=0
"$LACME" --config="$T/nonexistent.conf" account >/dev/null 2>"$T/noconf.log" || rc=$?
[ "$rc" -eq 2 ] && grep -q "nonexistent.conf" "$T/noconf.log" || t_fail "missing config: exit $rc: $(cat "$T/noconf.log")"
t_pass "missing lacme.conf exits 2 naming the file"
t_done
