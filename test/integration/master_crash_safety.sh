#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Crash safety of newOrder: LACME_CRASH_TRIALS (default 200) runs of `lacme newOrder --force`, each
# SIGKILLed at a random instant spread over a whole run (measured first, so the kills land in
# set-up, issuance and install alike; every other one late in the run, near the install). After
# every trial: no process of the run is left after 2 s, the listen port is free again, the
# installed chain is byte-identical to the one before or is a complete new chain (verifies,
# matches the key, configured mode 0640), the key's bytes and mode are unchanged, and the
# certificate file is the chain's leaf — at once, or after the next run completed the install
# the kill interrupted between the two renames (its journal names them). Every 20 trials
# a full run must succeed and leave no temporary file beside the chain. Then a corrupted journal
# and a full filesystem (tmpfs target dir): each fails with one clear line, the old chain intact.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
TRIALS=${LACME_CRASH_TRIALS:-200}
t_master_up
t_master_file_account
mkdir -p "$T/target"
t_keygen "$T/target/www.key" p256
cat >"$T/conf/certs.conf" <<CONF
[www]
certificate-key = $T/target/www.key
certificate = $T/target/www.crt
certificate-chain = $T/target/www.pem
chmod = 0640
subject = /CN=www.example.org
subjectAltName = DNS:www.example.org,DNS:example.org
CAfile = $PEBBLE_ROOTS
CONF
new_order=("$LACME" --config="$T/conf/lacme.conf" newOrder --config-certs="$T/conf/certs.conf" --force)
key_state() { printf '%s %s' "$(stat -c %a "$T/target/www.key")" "$(sha256sum <"$T/target/www.key")"; }
key_before=$(key_state)

# The chain at $1 is a complete certificate chain for the service key, with mode 0640.
check_complete_chain() {
    local chain=$1
    [ "$(stat -c %a "$chain")" = 640 ] || t_fail "$chain has mode $(stat -c %a "$chain"), not 0640"
    [ "$(grep -c -- '-----END CERTIFICATE-----' "$chain")" -ge 2 ] || t_fail "$chain is not a full chain"
    [ "$(tail -c 26 "$chain")" = "-----END CERTIFICATE-----" ] || t_fail "$chain is torn at its end"
    openssl verify -CAfile "$T/pebble/root.pem" -untrusted "$chain" "$chain" >/dev/null 2>&1 ||
        t_fail "$chain does not verify against pebble's root"
    [ "$(openssl x509 -in "$chain" -noout -pubkey)" = "$(openssl pkey -in "$T/target/www.key" -pubout)" ] ||
        t_fail "$chain does not match the service key"
}

# Only the key, the certificate, the chain and no temporary file or journal in the target dir.
check_no_temporaries() {
    local files
    # shellcheck disable=SC2012  # the test names every file here: plain names
    files=$(ls -A "$T/target" | tr '\n' ' ')
    [ "$files" = "www.crt www.key www.pem " ] || t_fail "target dir holds more than the key and the certificates: $files"
}

# The certificate file is the chain's leaf, with mode 0640. After a kill between the renames,
# the journal says so and the next run (a skipping one) completes the install first.
check_paired() {
    if [ -e "$T/target/.www.pem.lacme-install" ]; then
        "$LACME" --config="$T/conf/lacme.conf" newOrder --config-certs="$T/conf/certs.conf" 2>"$T/complete.log" ||
            t_fail "trial $trial: the run completing the install failed: $(cat "$T/complete.log")"
        completions=$((completions + 1))
    fi
    [ "$(stat -c %a "$T/target/www.crt")" = 640 ] || t_fail "www.crt has mode $(stat -c %a "$T/target/www.crt")"
    [ "$(openssl x509 -in "$T/target/www.crt" -outform DER | sha256sum)" = \
        "$(openssl x509 -in "$T/target/www.pem" -outform DER | sha256sum)" ] ||
        t_fail "trial $trial: www.crt is not the leaf of www.pem"
}

# Processes of the master's run: its process group, and anything whose command line names our
# configuration or temp dirs (pebble's own command line names $T/pebble, not these).
run_processes() {
    local pgid=$1 pid
    pgrep -g "$pgid" || true
    for pid in $(pgrep -f -- "$T/(conf|tmp|accountd)" || true); do echo "$pid"; done
}
alive() {  # the PIDs given that are alive and not zombies
    local pid state
    for pid in "$@"; do
        state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || continue
        [ "$state" = Z ] || echo "$pid"
    done
}
wait_run_gone() {
    local pgid=$1 left
    for _ in $(seq 20); do
        # shellcheck disable=SC2046  # one PID per word
        left=$(alive $(run_processes "$pgid") | tr '\n' ' ')
        [ -z "$left" ] && return 0
        sleep 0.1
    done
    t_fail "trial $trial: processes of the run alive 2 s after the master's SIGKILL: $left ($(ps -o pid,stat,args -p "${left// /,}" 2>&1 | tail -n +2))"
}

# The kill window: the fastest of three runs (the first ones are slower: nothing is cached yet).
run_ms=
for _ in 1 2 3; do
    start=$(date +%s%N)
    "${new_order[@]}" 2>"$T/first.log" || t_fail "newOrder: $(cat "$T/first.log")"
    ms=$((($(date +%s%N) - start) / 1000000))
    [ -n "$run_ms" ] && [ "$run_ms" -le "$ms" ] || run_ms=$ms
done
check_complete_chain "$T/target/www.pem"
t_pass "three runs install the chain (fastest $run_ms ms)"

previous=$(sha256sum <"$T/target/www.pem")
completed=0 replaced=0 completions=0
for trial in $(seq "$TRIALS"); do
    # Kills spread over 0..1.05x a run (the tail lets some runs finish: they must succeed); every
    # other one from 4/5 of a run on, where the certificate is verified and installed.
    from_ms=0
    [ $((trial % 2)) -eq 1 ] || from_ms=$((run_ms * 4 / 5))
    delay_ms=$((from_ms + (RANDOM * 32768 + RANDOM) % (run_ms * 21 / 20 - from_ms + 1)))
    setsid "${new_order[@]}" >/dev/null 2>"$T/trial.log" &
    master=$!
    sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
    if kill -KILL "$master" 2>/dev/null; then
        wait "$master" 2>/dev/null || true
    else
        wait "$master" || t_fail "trial $trial: a run that was not killed failed: $(cat "$T/trial.log")"
        completed=$((completed + 1))
    fi
    wait_run_gone "$master"
    ! ss -Hltn "sport = :$HTTP01_PORT" | grep -q . || t_fail "trial $trial: port $HTTP01_PORT still listened on"
    [ "$(key_state)" = "$key_before" ] || t_fail "trial $trial: the key file's bytes or mode changed"
    check_paired
    current=$(sha256sum <"$T/target/www.pem")
    if [ "$current" != "$previous" ]; then
        check_complete_chain "$T/target/www.pem"
        replaced=$((replaced + 1))
        previous=$current
    fi
    # A killed run cannot remove its challenge dir; it is fresh (mkdtemp) each run, so it only
    # costs space: clear it so that the successful runs' own cleanup stays observable.
    rm -rf "${TMPDIR:?}"/*
    if [ $((trial % 20)) -eq 0 ]; then
        "${new_order[@]}" 2>"$T/next.log" || t_fail "trial $trial: the run after a kill failed: $(cat "$T/next.log")"
        check_complete_chain "$T/target/www.pem"
        check_no_temporaries
        [ -z "$(ls -A "$TMPDIR")" ] || t_fail "trial $trial: a successful run left $(ls -A "$TMPDIR") in TMPDIR"
        previous=$(sha256sum <"$T/target/www.pem")
    fi
done
t_pass "$TRIALS SIGKILLed runs ($completed finished before the kill, $replaced replaced the chain, $completions completed by the next run): no process left, port free, chain old or complete new and paired with the certificate, key untouched"

"${new_order[@]}" 2>"$T/last.log" || t_fail "run after the trials: $(cat "$T/last.log")"
check_complete_chain "$T/target/www.pem"
check_no_temporaries
t_pass "the next successful run installs and leaves no temporary file"

# A corrupted journal (a member of the wrong type): the section fails with one line naming the
# journal, the installed files and the journal itself are left as they are.
journal="$T/target/.www.pem.lacme-install"
printf '[{"from":1,"to":"%s"}]\n' "$T/target/www.pem" >"$journal"
old=$(sha256sum "$T/target/www.pem" "$T/target/www.crt")
rc=0
"${new_order[@]}" >/dev/null 2>"$T/journal.log" || rc=$?
[ "$rc" -eq 1 ] || t_fail "corrupted journal: exit $rc, expected 1: $(cat "$T/journal.log")"
[ "$(cat "$T/journal.log")" = "[www] FAILED: $journal: not an install journal (a rename without from and to)" ] ||
    t_fail "corrupted journal: not one clear line: $(cat "$T/journal.log")"
[ "$(sha256sum "$T/target/www.pem" "$T/target/www.crt")" = "$old" ] || t_fail "corrupted journal: the installed files changed"
[ -e "$journal" ] || t_fail "corrupted journal: removed"
rm "$journal"
t_pass "corrupted journal: exit 1, one line naming it, installed files and journal left alone"

# Full filesystem: a 256 KiB tmpfs holding the chain, filled up.
mkdir -p "$T/full"
mount -t tmpfs -o size=256k,mode=0755 tmpfs "$T/full" || t_fail "cannot mount a tmpfs (the test needs root)"
t_on_exit "umount '$T/full'"
cp -p "$T/target/www.pem" "$T/full/www.pem"
sed "s|^certificate-chain = .*|certificate-chain = $T/full/www.pem|" "$T/conf/certs.conf" >"$T/conf/full.conf"
dd if=/dev/zero of="$T/full/filler" bs=4k 2>/dev/null || true
old=$(sha256sum <"$T/full/www.pem")
rc=0
"$LACME" --config="$T/conf/lacme.conf" newOrder --config-certs="$T/conf/full.conf" --force >/dev/null 2>"$T/full.log" || rc=$?
[ "$rc" -eq 1 ] || t_fail "full filesystem: exit $rc, expected 1: $(cat "$T/full.log")"
# Found before ordering (master/target_space.cpp), or at install if the space went meanwhile.
grep -qE '^\[www\] FAILED: .*(not enough free space in .*full|No space left on device)' "$T/full.log" ||
    t_fail "full filesystem: no clear error: $(cat "$T/full.log")"
[ "$(grep -cE 'not enough free space|No space left' "$T/full.log")" -le 2 ] || t_fail "full filesystem: error repeated: $(cat "$T/full.log")"
[ "$(sha256sum <"$T/full/www.pem")" = "$old" ] || t_fail "full filesystem: the old chain changed"
# shellcheck disable=SC2012  # the test names every file here: plain names
[ "$(ls -A "$T/full" | tr '\n' ' ')" = "filler www.pem " ] || t_fail "full filesystem: left $(ls -A "$T/full")"
t_pass "full filesystem: the run fails with a one-line error, old chain intact, no temporary file"
t_done
