#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# No finding of cppcheck (warning, performance, portability) in the production sources. Each
# exception is an inline `cppcheck-suppress ID ; why` beside the code, except below.
source "$(dirname "$0")/lib.sh"
t_require cppcheck
cd "$SRC"
# cppcheckError in challenge_files.cpp: cppcheck 2.10 cannot parse the `15ms` chrono literal
# ("MathLib::toLongNumber: input was not completely consumed"); it is not a finding.
out=$(cppcheck --enable=warning,performance,portability --std=c++20 --inline-suppr --quiet -I . -j 2 \
    --error-exitcode=1 --suppress=cppcheckError:client/challenge_files.cpp \
    --template='{file}:{line}: {severity}: {message} [{id}]' \
    common accountd client master webserver pkcs11 ssh 2>&1) || t_fail "cppcheck: $(head -c 8000 <<<"$out")"
[ -z "$out" ] || t_fail "cppcheck: $(head -c 8000 <<<"$out")"
t_pass "cppcheck: no finding in the production sources"
t_done
