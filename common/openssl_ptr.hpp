// unique_ptr aliases for the OpenSSL objects we own, so no path leaks or double-frees them.
#pragma once

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>

namespace lacme {

template <auto Free>
struct openssl_deleter {
    template <class T>
    void operator()(T* p) const noexcept { Free(p); }
};

using evp_pkey_ptr = std::unique_ptr<EVP_PKEY, openssl_deleter<EVP_PKEY_free>>;
using evp_pkey_ctx_ptr = std::unique_ptr<EVP_PKEY_CTX, openssl_deleter<EVP_PKEY_CTX_free>>;
using evp_md_ctx_ptr = std::unique_ptr<EVP_MD_CTX, openssl_deleter<EVP_MD_CTX_free>>;
using bio_ptr = std::unique_ptr<BIO, openssl_deleter<BIO_free_all>>;
using bignum_ptr = std::unique_ptr<BIGNUM, openssl_deleter<BN_free>>;
using x509_ptr = std::unique_ptr<X509, openssl_deleter<X509_free>>;
using evp_mac_ptr = std::unique_ptr<EVP_MAC, openssl_deleter<EVP_MAC_free>>;
using evp_mac_ctx_ptr = std::unique_ptr<EVP_MAC_CTX, openssl_deleter<EVP_MAC_CTX_free>>;
using ecdsa_sig_ptr = std::unique_ptr<ECDSA_SIG, openssl_deleter<ECDSA_SIG_free>>;

}  // namespace lacme
