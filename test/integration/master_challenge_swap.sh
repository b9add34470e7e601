#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The swapped-challenge-directory attack: the client (dropped to _lacme-client, which owns its
# fresh challenge directory) renames that directory away and leaves a symlink to a directory of
# root's files in its place. With TMPDIR a sticky world-writable directory (as /tmp) the rename
# used to succeed and root, cleaning up at the end of the run, emptied the symlink's target. Now
# the fresh directory is inside root's private 0711 directory ($RUNTIME_DIRECTORY): the rename
# fails, root's files stay, and the fresh directory is removed.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
t_master_up
chmod 1777 "$TMPDIR"
mkdir "$T/victim"; chmod 0755 "$T/victim"
echo secret >"$T/victim/root-file"
t_master_file_account
t_section "$T/conf/certs.conf" www p256 www.example.org
cat >"$T/swapping-client" <<SCRIPT
#!/bin/sh
d=\$(pwd)
cd /
mv "\$d" "\$d.away" 2>"$T/client-swap/mv.err" && ln -s "$T/victim" "\$d" && echo swapped >"$T/client-swap/done"
exit 1
SCRIPT
chmod 0755 "$T/swapping-client"
mkdir "$T/client-swap"; chown _lacme-client "$T/client-swap"
sed "s|^command = $CLIENT|command = $T/swapping-client|" "$T/conf/lacme.conf" >"$T/conf/swap.conf"
rc=0
"$LACME" --config="$T/conf/swap.conf" newOrder --config-certs="$T/conf/certs.conf" 2>"$T/swap.log" || rc=$?
[ "$rc" -eq 1 ] || t_fail "exit $rc with a failing client: $(cat "$T/swap.log")"
[ -e "$T/victim/root-file" ] || t_fail "root emptied the directory the client's symlink pointed to (swapped: $(cat "$T/client-swap/done" 2>/dev/null))"
[ ! -e "$T/client-swap/done" ] || t_fail "the client could rename its challenge directory away"
t_pass "the client cannot swap its challenge directory; root's files behind a symlink are left alone"
left=$(find "$T/run" "$TMPDIR" -mindepth 1 -maxdepth 1 -name 'acme-challenge.*' 2>/dev/null)
[ -z "$left" ] || t_fail "challenge directory left: $left"
t_pass "the fresh challenge directory is removed"
t_done
