// Test helper: DER CSRs and self-signed certificates with a chosen subject CN and
// subjectAltName (OpenSSL's config syntax: "DNS:a.example,IP:192.0.2.1"), signed by the shared
// P-256 test key, for code that reads names out of them.
#pragma once

#include "test/support/test_keys.hpp"

#include <openssl/x509v3.h>

#include <stdexcept>
#include <string>
#include <string_view>

namespace lacme::test {

namespace x509_detail {

using name_ptr = std::unique_ptr<X509_NAME, openssl_deleter<X509_NAME_free>>;
using extension_ptr = std::unique_ptr<X509_EXTENSION, openssl_deleter<X509_EXTENSION_free>>;

inline name_ptr subject(std::string_view cn)
{
    name_ptr name(X509_NAME_new());
    if (!cn.empty() && X509_NAME_add_entry_by_txt(name.get(), "CN", MBSTRING_ASC,
                                                  reinterpret_cast<const unsigned char*>(cn.data()),
                                                  static_cast<int>(cn.size()), -1, 0) != 1)
        throw std::runtime_error("X509_NAME_add_entry_by_txt");
    return name;
}

inline extension_ptr san_extension(std::string_view san)
{
    extension_ptr ext(X509V3_EXT_conf_nid(nullptr, nullptr, NID_subject_alt_name, std::string(san).c_str()));
    if (!ext)
        throw std::runtime_error("X509V3_EXT_conf_nid " + std::string(san));
    return ext;
}

template <auto Encode, class T>
std::string der(T* object)
{
    unsigned char* out = nullptr;
    const int n = Encode(object, &out);
    if (n <= 0)
        throw std::runtime_error("i2d");
    std::string result(reinterpret_cast<char*>(out), static_cast<std::size_t>(n));
    OPENSSL_free(out);
    return result;
}

}  // namespace x509_detail

// san empty: no subjectAltName extension.
inline std::string der_csr(std::string_view cn, std::string_view san)
{
    using namespace x509_detail;
    const std::unique_ptr<X509_REQ, openssl_deleter<X509_REQ_free>> req(X509_REQ_new());
    X509_REQ_set_version(req.get(), X509_REQ_VERSION_1);
    X509_REQ_set_subject_name(req.get(), subject(cn).get());
    X509_REQ_set_pubkey(req.get(), shared_p256());
    if (!san.empty()) {
        const std::unique_ptr<STACK_OF(X509_EXTENSION), decltype([](STACK_OF(X509_EXTENSION) * s) {
                                  sk_X509_EXTENSION_pop_free(s, X509_EXTENSION_free);
                              })>
            exts(sk_X509_EXTENSION_new_null());
        sk_X509_EXTENSION_push(exts.get(), san_extension(san).release());
        X509_REQ_add_extensions(req.get(), exts.get());
    }
    if (X509_REQ_sign(req.get(), shared_p256(), EVP_sha256()) <= 0)
        throw std::runtime_error("X509_REQ_sign");
    return der<i2d_X509_REQ>(req.get());
}

inline std::string der_certificate(std::string_view cn, std::string_view san)
{
    using namespace x509_detail;
    const x509_ptr cert(X509_new());
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400);
    X509_set_subject_name(cert.get(), subject(cn).get());
    X509_set_issuer_name(cert.get(), subject(cn).get());
    X509_set_pubkey(cert.get(), shared_p256());
    if (!san.empty())
        X509_add_ext(cert.get(), san_extension(san).get(), -1);
    if (X509_sign(cert.get(), shared_p256(), EVP_sha256()) <= 0)
        throw std::runtime_error("X509_sign");
    return der<i2d_X509>(cert.get());
}

}  // namespace lacme::test
