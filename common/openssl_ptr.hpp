// SPDX-License-Identifier: GPL-3.0-or-later
// unique_ptr aliases for the OpenSSL objects we own, so no path leaks or double-frees them.
#pragma once

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace lacme {

template <auto Free>
struct openssl_deleter {
    template <class T>
    void operator()(T* p) const noexcept
    {
        Free(p);
    }
};

// Memory OpenSSL allocated for us (i2d_* output, strings); OPENSSL_free is a macro.
struct openssl_free_deleter {
    template <class T>
    void operator()(T* p) const noexcept
    {
        OPENSSL_free(p);
    }
};
template <class T>
using openssl_memory_ptr = std::unique_ptr<T, openssl_free_deleter>;

using evp_pkey_ptr = std::unique_ptr<EVP_PKEY, openssl_deleter<EVP_PKEY_free>>;
using evp_pkey_ctx_ptr = std::unique_ptr<EVP_PKEY_CTX, openssl_deleter<EVP_PKEY_CTX_free>>;
using evp_md_ctx_ptr = std::unique_ptr<EVP_MD_CTX, openssl_deleter<EVP_MD_CTX_free>>;
using bio_ptr = std::unique_ptr<BIO, openssl_deleter<BIO_free_all>>;
using bignum_ptr = std::unique_ptr<BIGNUM, openssl_deleter<BN_free>>;
using x509_ptr = std::unique_ptr<X509, openssl_deleter<X509_free>>;
using evp_mac_ptr = std::unique_ptr<EVP_MAC, openssl_deleter<EVP_MAC_free>>;
using evp_mac_ctx_ptr = std::unique_ptr<EVP_MAC_CTX, openssl_deleter<EVP_MAC_CTX_free>>;
using x509_req_ptr = std::unique_ptr<X509_REQ, openssl_deleter<X509_REQ_free>>;

// A stack of certificate extensions that owns them (X509_REQ_get_extensions' result).
struct x509_extensions_deleter {
    void operator()(STACK_OF(X509_EXTENSION) * s) const noexcept { sk_X509_EXTENSION_pop_free(s, X509_EXTENSION_free); }
};
using x509_extensions_ptr = std::unique_ptr<STACK_OF(X509_EXTENSION), x509_extensions_deleter>;
using ecdsa_sig_ptr = std::unique_ptr<ECDSA_SIG, openssl_deleter<ECDSA_SIG_free>>;
using general_names_ptr = std::unique_ptr<GENERAL_NAMES, openssl_deleter<GENERAL_NAMES_free>>;

// A stack of certificates that owns them (X509_STORE_CTX_get1_chain's result).
struct x509_stack_owning_deleter {
    void operator()(STACK_OF(X509) * s) const noexcept { sk_X509_pop_free(s, X509_free); }
};
using x509_owning_stack_ptr = std::unique_ptr<STACK_OF(X509), x509_stack_owning_deleter>;

}  // namespace lacme
