// SPDX-License-Identifier: GPL-3.0-or-later
// Debian's libcurl uses OpenSSL, yet links GnuTLS (through librtmp and libldap), and GnuTLS
// initialises itself in a library constructor at every start of the client: ~2 ms and ~0.9 MB
// of resident memory for a library the client never calls (its protocols are https and http
// only). GnuTLS skips that when the program defines this hook — the documented
// GNUTLS_SKIP_GLOBAL_INIT of <gnutls/gnutls.h>, spelt out here so the build needs no GnuTLS
// headers. The executable exports it (CMakeLists: --export-dynamic-symbol) so that GnuTLS's
// lookup finds it; test/integration/client_startup.sh checks that it does.
extern "C" int _gnutls_global_init_skip();

extern "C" int _gnutls_global_init_skip()
{
    return 1;
}
