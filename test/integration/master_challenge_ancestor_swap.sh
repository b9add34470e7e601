#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# challenge-directory below a directory the client user can write: _lacme-client renames the
# root-owned component in it away and leaves a symlink to a directory of root's in its place.
# The next run's root then resolved the configured path through that symlink, took root's
# (empty) directory for the challenge directory and, at the end of the run, emptied it: files a
# root daemon wrote there meanwhile were deleted. Now every ancestor of the challenge directory
# must be writable by root (and the webserver user) only, checked upwards from the held
# directory fd (a sticky directory counts when the entry below it is theirs, as /tmp): both runs
# are refused and root's files stay.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
t_master_up
g="$T/client-writable"
mkdir -p "$g/p/chal" "$T/victim/spool" "$T/client-swap"
chown _lacme-client "$g" "$g/p/chal" "$T/client-swap"
chmod 0755 "$g" "$g/p" "$g/p/chal" "$T/victim"
chmod 0777 "$T/victim/spool"  # root's, empty now; a daemon writes into it while the run lasts
t_master_file_account listen= "extra_webserver=challenge-directory = $g/p/chal"
t_section "$T/conf/certs.conf" www p256 www.example.org
cat >"$T/swapping-client" <<SCRIPT
#!/bin/sh
if [ ! -L "$g/p" ]; then
    mv "$g/p" "$g/p.away" && ln -s "$T/victim" "$g/p" && echo swapped >"$T/client-swap/swapped"
    mv "$g/p.away/chal" "$g/p.away/spool" 2>/dev/null
else
    echo "a root daemon's file" >"$T/victim/spool/daemon-file" && echo written >"$T/client-swap/daemon-wrote"
fi
exit 1
SCRIPT
chmod 0755 "$T/swapping-client"
sed "s|^command = $CLIENT|command = $T/swapping-client|; s|^challenge-directory = .*|challenge-directory = $g/p/spool|" \
    "$T/conf/lacme.conf" >"$T/conf/swap.conf"
# The configured name is "spool" so that, through the symlink, it names root's directory.
mkdir "$g/p/spool"; chown _lacme-client "$g/p/spool"
for run in 1 2; do
    rc=0
    "$LACME" --config="$T/conf/swap.conf" newOrder --config-certs="$T/conf/certs.conf" --force 2>"$T/run$run.log" || rc=$?
    [ "$rc" -eq 1 ] || t_fail "run $run: exit $rc: $(cat "$T/run$run.log")"
done
if [ -e "$T/client-swap/daemon-wrote" ]; then
    [ -e "$T/victim/spool/daemon-file" ] || t_fail "root followed the client's symlink and emptied root's directory"
fi
[ -z "$(find "$T/victim/spool" -mindepth 1 -maxdepth 1 ! -name daemon-file)" ] || t_fail "root wrote into root's directory: $(ls -A "$T/victim/spool")"
[ ! -e "$T/client-swap/swapped" ] || t_fail "a client ran in a challenge directory it could swap"
grep -q "refusing challenge-directory $g/p/spool: $g is writable by a user other than root and the webserver user" "$T/run1.log" ||
    t_fail "no refusal naming the writable ancestor: $(cat "$T/run1.log")"
t_pass "a challenge directory below a directory the client user can write is refused; root's files stay"

# What is still accepted: an ancestor that is sticky and world-writable (as /tmp) when the entry
# below it is root's, and a parent owned by the webserver user.
sticky="$T/sticky"
mkdir -p "$sticky/www/chal"
chmod 1777 "$sticky"; chmod 0755 "$sticky/www"; chown _lacme-client "$sticky/www/chal"
chown _lacme-www "$sticky/www"
sed "s|^challenge-directory = .*|challenge-directory = $sticky/www/chal|" "$T/conf/lacme.conf" >"$T/conf/sticky.conf"
rc=0
"$LACME" --config="$T/conf/sticky.conf" newOrder --config-certs="$T/conf/certs.conf" --force 2>"$T/sticky.log" || rc=$?
! grep -q "refusing challenge-directory" "$T/sticky.log" || t_fail "a sticky ancestor was refused: $(cat "$T/sticky.log")"
t_pass "a sticky world-writable ancestor (its entry root's) and a parent of the webserver user are accepted"
t_done
