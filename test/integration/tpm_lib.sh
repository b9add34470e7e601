# SPDX-License-Identifier: GPL-3.0-or-later
# shellcheck shell=bash
# A software TPM 2.0 (swtpm) for the tests (sourced after lib.sh, not a test). t_swtpm_up
# starts a fresh one on a UNIX socket in $T/tpm, for this test only, and points tpm2-tools,
# tpm2-openssl and tpm2-pkcs11 at it (TPM_TCTI). There is no resource manager: objects the tools
# load stay loaded, and a TPM holds three, so every step flushes transient objects first.
# shellcheck disable=SC2034  # for the test that sources this file
TPM2_PKCS11_MODULE=/usr/lib/x86_64-linux-gnu/pkcs11/libtpm2_pkcs11.so

t_swtpm_up() {
    t_require swtpm; t_require tpm2_createprimary
    mkdir -p "$T/tpm/state"
    t_bg "$T/swtpm.log" swtpm socket --tpm2 --tpmstate dir="$T/tpm/state" \
        --server type=unixio,path="$T/tpm/sock" --ctrl type=unixio,path="$T/tpm/sock.ctrl" \
        --flags not-need-init,startup-clear --log file="$T/tpm/swtpm.log"
    t_wait_for "swtpm sockets" test -S "$T/tpm/sock" -a -S "$T/tpm/sock.ctrl"
    TPM_TCTI="swtpm:path=$T/tpm/sock"
    export TPM2TOOLS_TCTI=$TPM_TCTI TPM2OPENSSL_TCTI=$TPM_TCTI TPM2_PKCS11_TCTI=$TPM_TCTI
    # The TSS libraries log every TPM error on stderr; errors still reach us as return values,
    # and the tests check our one-line messages.
    export TSS2_LOG=all+NONE TPM2_PKCS11_LOG_LEVEL=0
}

_t_tpm() { tpm2_flushcontext -t && "$@" >/dev/null 2>>"$T/tpm/tools.log"; }

# t_tpm_persistent_key HANDLE ALG: a signing key (ALG: rsa2048 or ecc256:ecdsa) under the owner
# hierarchy's ECC primary, made persistent at HANDLE (0x81......), as doc/tpm.md does it.
t_tpm_persistent_key() {
    local handle=$1 alg=$2 d="$T/tpm/keys"
    mkdir -p "$d"
    _t_tpm tpm2_createprimary -C o -g sha256 -G ecc256 -c "$d/primary.ctx" &&
        _t_tpm tpm2_create -C "$d/primary.ctx" -G "$alg" -u "$d/$handle.pub" -r "$d/$handle.priv" \
            -a 'fixedtpm|fixedparent|sensitivedataorigin|userwithauth|sign' &&
        _t_tpm tpm2_load -C "$d/primary.ctx" -u "$d/$handle.pub" -r "$d/$handle.priv" -c "$d/$handle.ctx" &&
        _t_tpm tpm2_evictcontrol -C o -c "$d/$handle.ctx" "$handle" &&
        tpm2_flushcontext -t || t_fail "creating the TPM key $handle ($alg): $(tail -3 "$T/tpm/tools.log")"
}

# t_tpm2_pkcs11_token LABEL: a tpm2-pkcs11 token (user PIN 1234, SO PIN 12345678) with an RSA-2048
# key "acct-rsa" and a P-256 key "acct-p256", its store in $T/tpm/store (TPM2_PKCS11_STORE).
# tpm2_ptool expects a resource manager: the tpm2-tools it runs go through wrappers in
# $T/tpm/bin that flush transient objects first.
t_tpm2_pkcs11_token() {
    t_require tpm2_ptool
    local tool
    mkdir -p "$T/tpm/store" "$T/tpm/bin"
    export TPM2_PKCS11_STORE="$T/tpm/store"
    for tool in tpm2_changeauth tpm2_create tpm2_createprimary tpm2_encryptdecrypt tpm2_evictcontrol tpm2_getcap \
        tpm2_import tpm2_load tpm2_loadexternal tpm2_readpublic tpm2_sign tpm2_unseal; do
        printf '#!/bin/sh\ntpm2_flushcontext -t || exit 1\nexec /usr/bin/%s "$@"\n' "$tool" >"$T/tpm/bin/$tool"
        chmod 0755 "$T/tpm/bin/$tool"
    done
    local ptool="env PATH=$T/tpm/bin:$PATH tpm2_ptool"
    { $ptool init --path="$TPM2_PKCS11_STORE" &&
        $ptool addtoken --pid=1 --label="$1" --userpin=1234 --sopin=12345678 --path="$TPM2_PKCS11_STORE" &&
        $ptool addkey --label="$1" --key-label=acct-rsa --userpin=1234 --algorithm=rsa2048 --path="$TPM2_PKCS11_STORE" &&
        $ptool addkey --label="$1" --key-label=acct-p256 --userpin=1234 --algorithm=ecc256 --path="$TPM2_PKCS11_STORE"
    } >>"$T/tpm/tools.log" 2>&1 || t_fail "tpm2_ptool: $(tail -3 "$T/tpm/tools.log")"
    tpm2_flushcontext -t
}
