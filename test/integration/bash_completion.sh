#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# completion/lacme and completion/lacme-accountd, driven as bash does: COMP_WORDS/COMP_CWORD
# set, the completion function called in a bash subshell, COMPREPLY compared.
source "$(dirname "$0")/lib.sh"

# complete_line SCRIPT FUNCTION WORD...: the completions of the last WORD (one a line, sorted).
complete_line() {
    local script=$1 function=$2; shift 2
    bash -c 'source "$1"; function=$2; shift 2
             COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=()
             "$function"; printf "%s\n" "${COMPREPLY[@]}" | sort' - "$SRC/completion/$script" "$function" "$@"
}
expect() {
    local what=$1 want=$2; shift 2
    local got
    got=$(complete_line "$@" | paste -sd' ')
    [ "$got" = "$want" ] || t_fail "$what: expected '$want', got '$got'"
    t_pass "$what"
}

mkdir -p "$T/etc/lacme-certs.conf.d" "$T/other"
printf 'min-days = 21\n[www]\nsubject = /CN=a\n[mail]\nsubject = /CN=b\n' >"$T/etc/lacme-certs.conf"
printf '[wiki]\nsubject = /CN=c\n' >"$T/etc/lacme-certs.conf.d/wiki.conf"
printf '[client]\n' >"$T/etc/lacme.conf"
printf '[alt]\n' >"$T/other/certs.conf"
printf 'config-certs = %s\n[client]\n' "$T/other/certs.conf" >"$T/other/lacme.conf"

expect "lacme: commands" "account check newOrder revokeCert" lacme _lacme lacme ""
expect "lacme: a command's prefix" "newOrder" lacme _lacme lacme ne
expect "lacme newOrder: options" "--config-certs= --config= --debug --force --help --jobs= --json --min-days= --quiet --socket= --version" \
    lacme _lacme lacme newOrder -
expect "lacme account: options" "--register" lacme _lacme lacme account --reg
expect "lacme newOrder: the sections of lacme-certs.conf and lacme-certs.conf.d/ next to --config" "mail wiki www" \
    lacme _lacme lacme "--config=$T/etc/lacme.conf" newOrder ""
expect "lacme check: section prefix" "wiki www" lacme _lacme lacme "--config=$T/etc/lacme.conf" check w
expect "lacme newOrder: lacme.conf's config-certs" "alt" lacme _lacme lacme "--config=$T/other/lacme.conf" newOrder ""
expect "lacme newOrder: --config-certs wins" "alt" \
    lacme _lacme lacme "--config=$T/etc/lacme.conf" newOrder "--config-certs=$T/other/certs.conf" ""
expect "lacme-accountd: options" "--pin-state-dir= --policy= --privkey= --provider=" lacme-accountd _lacme_accountd lacme-accountd --p
expect "lacme-accountd: a path option completes files" "--check-policy=$T/other/certs.conf" \
    lacme-accountd _lacme_accountd lacme-accountd "--check-policy=$T/other/ce"
t_done
