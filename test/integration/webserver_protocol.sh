#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# OUR webserver at the socket level, over TCP and a UNIX socket: GET/HEAD/other methods,
# traversal attempts (../, %2e%2e, encoded slashes, a symlink to /etc/passwd), malformed and
# HTTP/0.9 requests, NUL bytes, huge headers, a head that never ends, pipelining, 1-byte writes,
# keep-alive, slowloris (200 idle connections while a validation GET must succeed within 1 s);
# then command-line and fd errors, fd hygiene, SIGTERM.
source "$(dirname "$0")/lib.sh"
t_require python3
WEB="$BUILD/webserver/webserver"
[ -x "$WEB" ] || t_fail "webserver not built at $WEB"
HERE=$(cd "$(dirname "$0")" && pwd)
listen() { python3 "$HERE/webserver_listen.py" "$@"; }
client() { python3 "$HERE/webserver_client.py" "$@"; }

TCP_ADDR="127.0.0.1:$((PORT0 + 10))"
UNIX_ADDR="$T/www.sock"
mkdir -p "$T/tcp" "$T/unix"
# Started the way lacme's master does it: socket bound by the parent, cwd = challenge dir, and
# an extra leaked fd 7 that the webserver must close.
(cd "$T/tcp" && exec 7<"$HERE/lib.sh" && DEBUG=1 exec python3 "$HERE/webserver_listen.py" "$TCP_ADDR" "$WEB") >"$T/tcp.log" 2>&1 &
TCP_PID=$!; t_kill_at_exit "$TCP_PID"
(cd "$T/unix" && exec python3 "$HERE/webserver_listen.py" "$UNIX_ADDR" "$WEB") >"$T/unix.log" 2>&1 &
UNIX_PID=$!; t_kill_at_exit "$UNIX_PID"
t_wait_for "TCP webserver" bash -c "exec 3<>/dev/tcp/${TCP_ADDR%:*}/${TCP_ADDR#*:}"
t_wait_for "UNIX webserver" test -S "$UNIX_ADDR"

checks=(get_head methods traversal malformed huge_headers pipelined one_byte_writes keep_alive slowloris)
for check in "${checks[@]}"; do
    out=$(client "$TCP_ADDR" "$T/tcp" "$check") || t_fail "TCP $check: $out"
    t_pass "TCP: $check$(grep -v '^OK$' <<<"$out" | sed 's/^/: /' || true)"
done
for check in get_head methods traversal pipelined one_byte_writes keep_alive slowloris; do
    out=$(client "$UNIX_ADDR" "$T/unix" "$check") || t_fail "UNIX $check: $out"
    t_pass "UNIX socket: $check$(grep -v '^OK$' <<<"$out" | sed 's/^/: /' || true)"
done
# Both slow checks at once, each on its own server.
client "$TCP_ADDR" "$T/tcp" header_without_end >"$T/hwe-tcp.out" 2>&1 & p1=$!
client "$UNIX_ADDR" "$T/unix" header_without_end >"$T/hwe-unix.out" 2>&1 & p2=$!
wait "$p1" || t_fail "TCP header_without_end: $(cat "$T/hwe-tcp.out")"
t_pass "TCP: a head that never ends is dropped at the deadline"
wait "$p2" || t_fail "UNIX header_without_end: $(cat "$T/hwe-unix.out")"
t_pass "UNIX socket: a head that never ends is dropped at the deadline"

# Logging: one debug line per request with method, path, status and peer; and nothing at all
# at the normal level for ordinary traffic (no flooding).
grep -qE "GET /\.well-known/acme-challenge/tokGET HTTP/1\.1 200 from \[127\.0\.0\.1\]" "$T/tcp.log" ||
    t_fail "no debug line for a served GET in $(head -5 "$T/tcp.log")"
grep -qE "POST /\.well-known/acme-challenge/tokM HTTP/1\.1 405 from" "$T/tcp.log" || t_fail "no debug line for a 405"
# The traversal check planted a symlink named like a token: that one is worth an error line.
grep -q "Error: challenge file passwd: is a symbolic link" "$T/unix.log" || t_fail "symlink in cwd not reported"
! grep -v "challenge file passwd: is a symbolic link" "$T/unix.log" | grep -q . ||
    t_fail "normal level logged ordinary traffic: $(head -3 "$T/unix.log")"
t_pass "debug log: one line per request; quiet without DEBUG except a planted symlink"
# 300 requests for that symlink within a second or two: a handful of lines, not 300.
out=$(client "$UNIX_ADDR" "$T/unix" symlink_flood) || t_fail "symlink flood: $out"
lines=$(wc -l <"$T/unix.log")
[ "$lines" -le 6 ] || t_fail "300 requests for a symlinked token logged $lines lines: $(tail -3 "$T/unix.log")"
t_pass "300 requests for a symlinked token: $lines log lines (rate-limited)"

# fd hygiene: the leaked fd 7 is gone, stdin/stdout are /dev/null, no regular file stays open.
# Control first: the same launch path does hand fd 7 to whatever it executes.
ctl=$(cd "$T" && exec 7<"$HERE/lib.sh" && python3 "$HERE/webserver_listen.py" "127.0.0.1:$((PORT0 + 11))" \
    sh -c 'ls -l /proc/$$/fd' sh)
grep -q "lib.sh" <<<"$ctl" || t_fail "control: the launcher does not pass fd 7 on: $ctl"
# shellcheck disable=SC2012  # ls -l shows where each fd points: names are fd numbers
fds=$(ls -l "/proc/$TCP_PID/fd" | awk 'NR > 1 {print $9, $11}')
grep -q "lib.sh" <<<"$fds" && t_fail "leaked fd still open: $fds"
[ "$(readlink "/proc/$TCP_PID/fd/0")" = /dev/null ] || t_fail "stdin is $(readlink "/proc/$TCP_PID/fd/0")"
[ "$(readlink "/proc/$TCP_PID/fd/1")" = /dev/null ] || t_fail "stdout is $(readlink "/proc/$TCP_PID/fd/1")"
grep -q '^NoNewPrivs:[[:space:]]*1' "/proc/$TCP_PID/status" || t_fail "no_new_privs not set"
t_pass "inherited fds closed, stdin/stdout on /dev/null, no_new_privs"

# 4 MB is the target for a normal build; ASan's shadow memory and quarantine need far more.
rss_limit=4096
# (gcc links ASan's runtime as libasan.so, clang into the executable: the tree's cache says which.)
grep -q '^LACME_SANITIZE:BOOL=ON$' "$BUILD/CMakeCache.txt" && rss_limit=65536
rss=$(awk '/^VmHWM/ {print $2}' "/proc/$TCP_PID/status")
[ "$rss" -le "$rss_limit" ] || t_fail "peak RSS after the protocol tests is ${rss} kB (> $rss_limit kB)"
t_pass "peak RSS after all checks: ${rss} kB (limit $rss_limit kB)"

# SIGTERM: prompt, clean exit.
kill -TERM "$TCP_PID"
rc=0; timeout 5 tail --pid="$TCP_PID" -f /dev/null || t_fail "still running 5 s after SIGTERM"
wait "$TCP_PID" || rc=$?
[ "$rc" -eq 0 ] || t_fail "exit status $rc after SIGTERM"
t_pass "SIGTERM: exits 0"

# DESIGN: the webserver links neither OpenSSL nor libcurl.
libs=$(ldd "$WEB")
! grep -qE 'libssl|libcrypto|libcurl' <<<"$libs" || t_fail "webserver links crypto/HTTP client libraries: $libs"
t_pass "links neither OpenSSL nor libcurl"

# Bad usage: one short line, non-zero exit.
t_expect_fail "no argument" "usage: webserver \\[--no-sandbox\\] FD" "$WEB"
t_expect_fail "two arguments" "usage" "$WEB" 3 4
t_expect_fail "non-numeric fd" "invalid file descriptor" "$WEB" 3x
t_expect_fail "negative fd" "invalid file descriptor" "$WEB" -1
t_expect_fail "closed fd" "fd 999: Bad file descriptor" "$WEB" 999
t_expect_fail "regular file fd" "fd 8 is not a socket" bash -c "exec 8<'$HERE/lib.sh'; exec '$WEB' 8"
t_expect_fail "unlistening socket" "not a listening socket" python3 -c "
import os, socket, sys
s = socket.socket(); s.bind(('127.0.0.1', 0)); os.set_inheritable(s.fileno(), True)
os.execv(sys.argv[1], [sys.argv[1], str(s.fileno())])" "$WEB"
t_expect_fail "datagram socket" "not a stream socket" python3 -c "
import os, socket, sys
s = socket.socket(type=socket.SOCK_DGRAM); os.set_inheritable(s.fileno(), True)
os.execv(sys.argv[1], [sys.argv[1], str(s.fileno())])" "$WEB"
t_done
