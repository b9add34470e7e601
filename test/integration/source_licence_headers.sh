#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Every source file (C++, Go, shell, Python, CMake, scripts, benches, CI) names its licence with
# an SPDX header in its first lines, as debian/copyright and LICENSE say (GPL-3.0-or-later).
source "$(dirname "$0")/lib.sh"
missing=$(cd "$SRC" && find . \( -path ./fuzz/corpus -o -path ./test/data -o -path './build*' -o -path ./.git -o -path ./debian \) -prune -o \
    -type f \( -name '*.cpp' -o -name '*.hpp' -o -name '*.go' -o -name '*.sh' -o -name '*.py' -o -name CMakeLists.txt \
    -o -path './scripts/*' -o -path './bench/*' -o -path './.ci/*' \) -print |
    while read -r f; do head -n 3 "$f" | grep -q 'SPDX-License-Identifier: GPL-3.0-or-later' || echo "$f"; done)
[ -z "$missing" ] || t_fail "no SPDX-License-Identifier header in: ${missing//$'\n'/ }"
t_pass "every source file carries the SPDX licence header"
t_done
