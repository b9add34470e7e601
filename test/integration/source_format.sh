#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Every C++ file of the tree follows the checked-in .clang-format (`clang-format -i FILE` fixes one).
source "$(dirname "$0")/lib.sh"
t_require clang-format
cd "$SRC"
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' '*.h' '*.c' 2>/dev/null ||
    find common accountd client master webserver pkcs11 ssh test fuzz bench -name '*.[ch]pp')
[ "${#files[@]}" -gt 100 ] || t_fail "only ${#files[@]} C++ files found"
out=$(printf '%s\0' "${files[@]}" | xargs -0 -n 50 -P 2 clang-format --dry-run --Werror 2>&1) ||
    t_fail "not formatted: $(grep -o '^[^:]*:[0-9]*' <<<"$out" | sort -u | head -20 | tr '\n' ' ')"
t_pass "clang-format: ${#files[@]} C++ files follow .clang-format"
t_done
