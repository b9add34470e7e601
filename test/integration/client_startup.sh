#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The client's start-up: Debian's libcurl drags GnuTLS in (librtmp, libldap), whose constructor
# would initialise it at every start unless it finds the client's _gnutls_global_init_skip
# (client/gnutls_init_skip.cpp). The dynamic linker's own trace shows which definition it bound.
source "$(dirname "$0")/lib.sh"
CLIENT="$BUILD/client/client"
[ -x "$CLIENT" ] || t_fail "client not built at $CLIENT"

LD_DEBUG=bindings LD_DEBUG_OUTPUT="$T/ld" "$CLIENT" >/dev/null 2>&1 || true  # usage error: fine
cat "$T"/ld.* >"$T/bindings.log"
if grep -q 'libgnutls\.so' "$T/bindings.log"; then
    grep -E "binding file [^ ]*libgnutls\.so[^ ]* \[0\] to $CLIENT \[0\]: normal symbol \`_gnutls_global_init_skip'" \
        "$T/bindings.log" >/dev/null || t_fail "GnuTLS is loaded but its init-skip hook does not bind to the client: $(grep _gnutls_global_init_skip "$T/bindings.log" || echo 'no binding at all')"
    t_pass "GnuTLS's implicit initialisation is skipped (hook bound to the client)"
else
    t_pass "GnuTLS is not loaded at all"
fi
