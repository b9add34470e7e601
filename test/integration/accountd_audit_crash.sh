#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The audit log's guarantee under group commit: a signature leaves only once its record is on
# disk. 60 times: lacme-accountd with a policy and an audit log, 8 connections signing (each
# request orders its own name), SIGKILL at a random instant. The daemon runs on a disk that
# loses whatever was written but not synced (test/tools/volatile_writes.cpp), as on a power
# failure. Then every signature a client received has its "signed" record among the records
# of that run, every line of the file parses, and a torn last line (a record cut mid-write,
# whose signature never left) is removed by the next start with a warning.
source "$(dirname "$0")/lib.sh"
load="$BUILD/test/tools/accountd-load"
shim="$BUILD/test/tools/liblacme-volatile-writes.so"
for f in "$load" "$shim"; do [ -e "$f" ] || t_fail "missing $f (build the project first)"; done
t_require python3
mkdir -p "$T/run"; chmod 0700 "$T/run"
sock="$T/run/S.lacme"
audit="$T/audit.jsonl"
t_keygen "$T/p256.key" p256
printf '[policy]\nlabel = crash\nca = https://acme.test/\nidentifiers = *.example.org\n' >"$T/policy"
trials=${AUDIT_CRASH_TRIALS:-60}

start_daemon() {
    rm -f "$sock"
    LD_PRELOAD="$shim" LACME_VOLATILE_FILE="$audit" "$ACCOUNTD" --quiet --privkey="file:$T/p256.key" \
        --socket="$sock" --policy="$T/policy" --audit-log="$audit" >>"$T/accountd.log" 2>&1 &
    daemon=$!
    t_kill_at_exit "$daemon"
    t_wait_for "accountd socket" test -S "$sock"
}

: >"$T/trials"
for trial in $(seq "$trials"); do
    start_daemon
    # Where this run's records begin: a torn tail of the previous run is already removed.
    echo "$trial $(stat -c %s "$audit")" >>"$T/trials"
    "$load" "$sock" 8 500 --received="$T/received.$trial" >"$T/load.$trial.log" 2>&1 &
    client=$!
    sleep "0.$(printf "%03d" $((RANDOM % 200 + 50)))"
    kill -KILL "$daemon"
    wait "$daemon" 2>/dev/null || true
    wait "$client" 2>/dev/null || true  # fails: its daemon died under it
done
start_daemon  # repairs the last run's torn record, if any
kill -TERM "$daemon"; wait "$daemon" 2>/dev/null || true

python3 - "$T" "$audit" <<'PY' || t_fail "a received signature has no record, or the audit log does not parse"
import json, sys
dir, audit = sys.argv[1], sys.argv[2]
data = open(audit, "rb").read()
starts = [tuple(map(int, l.split())) for l in open(dir + "/trials")]
bounds = [s for _, s in starts] + [len(data)]
assert data == b"" or data.endswith(b"\n"), "audit log does not end with a whole record"
received_total = 0
for (trial, begin), end in zip(starts, bounds[1:]):
    signed = set()
    for line in data[begin:end].splitlines():
        record = json.loads(line)
        assert record["label"] == "crash", record
        if record["outcome"] == "signed":
            signed.update(record["identifiers"])
    received = [l.strip() for l in open(f"{dir}/received.{trial}")]
    received_total += len(received)
    missing = [n for n in received if "dns:" + n not in signed]
    if missing:
        sys.exit(f"run {trial}: {len(missing)} of {len(received)} received signatures have no record, e.g. {missing[:3]}")
print(f"{len(starts)} runs, {received_total} signatures received, all recorded")
if received_total < 3 * len(starts):
    sys.exit("too few signatures: the runs did not sign under load")
PY
torn=$(grep -c "removed a torn last record" "$T/accountd.log" || true)
t_pass "$trials SIGKILLs under 8 connections: every received signature's record is in the audit log, which parses ($torn torn last records removed at the next start)"
t_done
