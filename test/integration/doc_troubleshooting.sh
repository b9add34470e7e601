#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# doc/troubleshooting.md does not rot: each documented message (a "### `MESSAGE`" heading, `…`
# where a value goes) still exists in the sources, piece by piece; and every usage error of
# lacme's command line is documented (a message added there without an entry fails).
source "$(dirname "$0")/lib.sh"
doc="$SRC/doc/troubleshooting.md"
sources=("$SRC/master" "$SRC/client" "$SRC/accountd" "$SRC/webserver" "$SRC/common" "$SRC/pkcs11" "$SRC/ssh")
# shellcheck disable=SC2016  # the backquotes are markdown, matched literally
headings=$(sed -n 's/^### `\(.*\)`$/\1/p' "$doc")
[ "$(wc -l <<<"$headings")" -ge 40 ] || t_fail "doc/troubleshooting.md documents too few messages"
missing=""
while IFS= read -r message; do
    while IFS= read -r piece; do
        piece=${piece#"${piece%%[! ]*}"}
        piece=${piece%"${piece##*[! ]}"}
        [ -n "$piece" ] || continue
        # A quote in a message stands escaped in the C++ literal.
        grep -rqF --include='*.cpp' --include='*.hpp' -- "$piece" "${sources[@]}" ||
            grep -rqF --include='*.cpp' -- "${piece//\"/\\\"}" "${sources[@]}" ||
            missing+="  $message  (\"$piece\")"$'\n'
    done <<<"${message//…/$'\n'}"
done <<<"$headings"
[ -z "$missing" ] || t_fail "documented messages no longer in the sources:"$'\n'"$missing"
t_pass "each of the $(wc -l <<<"$headings") documented messages is in the sources"

undocumented=""
while IFS= read -r literal; do
    [ ${#literal} -ge 6 ] || continue
    grep -qF -- "$literal" <<<"$headings" || undocumented+="  $literal"$'\n'
done < <(grep -ohE 'usage_error\("[^"\\]*' "$SRC/master/command_line.cpp" | sed 's/^usage_error("//' | sort -u)
[ -z "$undocumented" ] || t_fail "lacme's usage errors missing from doc/troubleshooting.md:"$'\n'"$undocumented"
t_pass "every usage error of lacme's command line is documented"
t_done
