# SPDX-License-Identifier: GPL-3.0-or-later
# shellcheck shell=bash disable=SC2154  # src, build, T, median: from bench/issue
# Full-stack rows of bench/issue (sourced by it, after its client rows, on the same pebble):
# the whole native stack (our master, client, webserver, accountd) vs the whole Perl lacme stack
# vs uacme (webroot hook uacme.sh into a directory served on pebble's http-01 port): median wall
# time of FULL_N single-section 2-name issuances each; one run of SECTIONS sections, ours vs
# Perl; peak RSS (VmHWM) of each of our processes, and of a bare one-request libcurl program (the
# client's floor). Children drop to lacme's system users.
# Uses from bench/issue: T, build, src, one's output format, median.
source "$src/test/integration/master_lib.sh"
full_n=${BENCH_FULL_N:-10}
sections=${BENCH_SECTIONS:-20}
t_require uacme
t_master_tmpdir

# full_conf WHO MASTER_CONF_ARGS...: $T/full/WHO/lacme.conf with a file account key.
full_conf() {
    local who=$1; shift
    t_lacme_conf "$T/full/$who" users=drop accountd_config="$T/accountd.conf" "$@"
}
full_conf ours client="$CLIENT" webserver="$WEBSERVER" accountd="$ACCOUNTD"
full_conf perl accountd=lacme-accountd
# sections_conf WHO COUNT: $T/full/WHO/certs-COUNT.conf with COUNT 2-name sections.
sections_conf() {
    local who=$1 count=$2 i
    : >"$T/full/$who/certs-$count.conf"
    for i in $(seq "$count"); do
        t_section "$T/full/$who/certs-$count.conf" "s$i" p256 "$who-$i-a.example.org" "$who-$i-b.example.org"
    done
}
for who in ours perl; do sections_conf "$who" 1; sections_conf "$who" "$sections"; done
"$LACME" --config="$T/full/ours/lacme.conf" account --register --tos-agreed >/dev/null 2>&1 ||
    t_fail "full stack: registration failed"

# timed WHO CMD...: appends "ok|fail SECONDS" to $T/full/WHO/results.
timed() {
    local who=$1 start end status=ok; shift
    mkdir -p "$T/full/$who"
    start=$(date +%s.%N)
    "$@" >/dev/null 2>>"$T/full/$who/errors.log" || status=fail
    end=$(date +%s.%N)
    echo "$status $(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f", b - a}')" >>"$T/full/$who/results"
}
ours_order() { "$LACME" --config="$T/full/ours/lacme.conf" newOrder --force --config-certs="$T/full/ours/certs-$1.conf"; }
perl_order() { lacme --config="$T/full/perl/lacme.conf" newOrder --force --config-certs="$T/full/perl/certs-$1.conf"; }

# Peak RSS: a poller records the highest VmHWM of every process running one of our binaries.
peak_rss_start() {
    python3 - "$build" "$T/full/rss" <<'PY' &
import os, signal, sys, time
build, out = sys.argv[1], sys.argv[2]
peak = {}
def report(*_):
    with open(out, "w") as f:
        for name, kb in sorted(peak.items()):
            f.write(f"{name} {kb}\n")
    sys.exit(0)
signal.signal(signal.SIGTERM, report)
while True:
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            exe = os.readlink(f"/proc/{pid}/exe")
            if not exe.startswith(build + "/"):
                continue
            with open(f"/proc/{pid}/status") as f:
                hwm = next(int(l.split()[1]) for l in f if l.startswith("VmHWM:"))
        except (OSError, StopIteration):
            continue
        name = os.path.basename(exe)
        peak[name] = max(peak.get(name, 0), hwm)
    time.sleep(0.002)
PY
    rss_poller=$!
    t_kill_at_exit "$rss_poller"
    sleep 0.3
}
peak_rss_stop() { kill -TERM "$rss_poller"; wait "$rss_poller" || true; }

mkdir -p "$T/full/uacme/www/.well-known/acme-challenge" "$T/full/uacme/conf"
uacme_cmd=(uacme -c "$T/full/uacme/conf" -a "$PEBBLE_URL" -t EC)
"${uacme_cmd[@]}" -y new >/dev/null 2>"$T/full/uacme/errors.log" || t_fail "uacme new: $(cat "$T/full/uacme/errors.log")"
# uacme keeps the replaced certificate as cert-EXPIRY.pem and fails if that name exists (two of
# pebble's certificates can expire in the same second): start each run without them.
uacme_order() {
    rm -f "$T/full/uacme/conf/uacme-a.example.org/"cert*.pem
    UACME_CHALLENGE_PATH="$T/full/uacme/www/.well-known/acme-challenge" \
        "${uacme_cmd[@]}" -h /usr/share/uacme/uacme.sh -f issue uacme-a.example.org uacme-b.example.org
}

peak_rss_start
for _ in $(seq "$full_n"); do timed ours ours_order 1; printf '.' >&2; done
for _ in $(seq "$full_n"); do timed perl perl_order 1; printf '.' >&2; done
t_bg "$T/full/uacme/httpd.log" python3 -m http.server --bind 127.0.0.1 --directory "$T/full/uacme/www" "$HTTP01_PORT"
uacme_httpd=$T_LAST_PID
t_wait_for "uacme's webroot server" curl -fs -o /dev/null "http://127.0.0.1:$HTTP01_PORT/"
for _ in $(seq "$full_n"); do timed uacme uacme_order; printf '.' >&2; done
kill "$uacme_httpd"; wait "$uacme_httpd" 2>/dev/null || true
timed ours-many ours_order "$sections"
timed perl-many perl_order "$sections"
peak_rss_stop
echo >&2

full_median() { grep '^ok' "$T/full/$1/results" | cut -d' ' -f2 | median; }
full_report() {
    printf '%-6s success %2d/%d  median %6.3f s\n' "$1" "$(grep -c '^ok' "$T/full/$1/results" || true)" \
        "$(wc -l <"$T/full/$1/results")" "$(full_median "$1")"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.3f", a / b; else print "nan"}'; }
echo
echo "Full stack: N=$full_n single-section 2-name issuances each (master + client + webserver + accountd, users dropped)"
for who in ours perl uacme; do full_report "$who"; done
echo "ratio ours/perl: $(ratio "$(full_median ours)" "$(full_median perl)")  ours/uacme: $(ratio "$(full_median ours)" "$(full_median uacme)")"
# The many-section runs are timed whatever their outcome (Perl's client loses a section to a
# rejected nonce now and then): their failed sections are counted beside the time.
run_time() { cut -d' ' -f2 "$T/full/$1/results"; }
echo "One run with $sections sections:"
for who in ours-many perl-many; do
    printf '%-9s %6.3f s  failed sections: %d\n' "$who" "$(run_time "$who")" \
        "$(grep -ciE "FAILED|Couldn't issue" "$T/full/$who/errors.log" || true)"
done
echo "ratio ours/perl ($sections sections): $(ratio "$(run_time ours-many)" "$(run_time perl-many)")"
echo "Peak RSS (VmHWM) of our processes over these runs:"
awk '{printf "  %-16s %6.1f MB\n", $1, $2 / 1024}' "$T/full/rss"
# The client's floor: libcurl's ~30 libraries, libcrypto and libstdc++ are file-backed pages
# every process using them maps; a bare one-request libcurl program shows what is left to ours.
if floor_kb=$("$build/bench/https-get-floor" "$PEBBLE_URL/dir" 2>"$T/full/floor.log"); then
    printf '  %-16s %6.1f MB  (one HTTPS GET through libcurl, C++, nothing else)\n' "floor" "$(awk -v k="$floor_kb" 'BEGIN {print k / 1024}')"
else
    echo "  floor: https-get-floor failed: $(cat "$T/full/floor.log")"
fi
for who in ours perl uacme ours-many perl-many; do
    grep -hiE 'error|fail' "$T/full/$who/errors.log" 2>/dev/null | sort | uniq -c | sort -rn | head -3 | sed "s/^/$who errors: /" || true
done
