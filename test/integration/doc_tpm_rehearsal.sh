#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# doc/tpm.md's software-TPM rehearsal (the ```sh tpm-rehearsal block), run as written: swtpm,
# the flushing wrappers, tpm2_ptool init/addtoken/addkey, and lacme-accountd --list-keys on the
# new token. Only mktemp differs: TMPDIR is the test's directory. /usr/bin/lacme-accountd is
# this build's (private mount namespace, lib.sh). Run twice: it can be run again.
T_INSTALLED_ACCOUNTD=1
source "$(dirname "$0")/lib.sh"
t_require swtpm; t_require tpm2_ptool
awk '/^```sh tpm-rehearsal$/ { on = 1; next } /^```/ { on = 0 } on' "$SRC/doc/tpm.md" >"$T/rehearsal.sh"
grep -q "tpm2_ptool addtoken" "$T/rehearsal.sh" || t_fail "doc/tpm.md has no tpm-rehearsal block"
for run in 1 2; do
    (export TMPDIR="$T"; cd "$T" && timeout 120 bash -eu -o pipefail "$T/rehearsal.sh") >"$T/rehearsal-$run.log" 2>&1 ||
        t_fail "doc/tpm.md's rehearsal (run $run) failed: $(tail -5 "$T/rehearsal-$run.log")"
    grep -q "label 'acct-p256'.*\[ES256\]" "$T/rehearsal-$run.log" && grep -qE '^ *pkcs11:.*token=acme;.*type=private' "$T/rehearsal-$run.log" ||
        t_fail "run $run: --list-keys did not list the new key: $(cat "$T/rehearsal-$run.log")"
done
! pgrep -f "swtpm socket --tpm2 --tpmstate dir=$T/" >/dev/null || t_fail "the rehearsal left swtpm running"
t_pass "doc/tpm.md's software-TPM rehearsal runs as written (twice), down to the token's key URI"
t_done
