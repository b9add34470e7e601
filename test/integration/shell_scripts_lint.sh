#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# No finding of shellcheck in any shell script of the source tree: scripts/, .ci/run, the tests
# and their helpers, bench/, debian/'s maintainer scripts and the bash completions (every file
# whose first lines name sh or bash). Settings and justified exclusions: .shellcheckrc.
source "$(dirname "$0")/lib.sh"
t_require shellcheck
cd "$SRC"
mapfile -t scripts < <(find . \( -path ./fuzz/corpus -o -path ./test/data -o -path './build*' -o -path ./.git \
        -o -path ./debian/.debhelper -o -path ./debian/lacme -o -path ./debian/lacme-accountd -o -path ./debian/tmp \) -prune -o \
        -type f ! -name '*.py' -print |
    while read -r f; do head -n 3 "$f" | grep -qE '^#!.*[/ ](ba)?sh( |$)|^# shellcheck shell=' && echo "$f"; done |
    sort)
for must in ./.ci/run ./scripts/run-tests ./test/integration/lib.sh ./completion/lacme ./debian/lacme.postinst; do
    printf '%s\n' "${scripts[@]}" | grep -qx -- "$must" || t_fail "$must not among the scripts found"
done
# One file per shellcheck run, two at a time: each run reads the helpers its file sources.
out=$(printf '%s\0' "${scripts[@]}" | xargs -0 -n 1 -P 2 shellcheck -f gcc 2>&1) ||
    t_fail "shellcheck: $(head -c 8000 <<<"$out")"
[ -z "$out" ] || t_fail "shellcheck: $(head -c 8000 <<<"$out")"
t_pass "shellcheck: no finding in ${#scripts[@]} shell scripts"
t_done
