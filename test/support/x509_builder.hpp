// SPDX-License-Identifier: GPL-3.0-or-later
// Test helper: DER CSRs and self-signed certificates with a chosen subject CN and
// subjectAltName (OpenSSL's config syntax: "DNS:a.example,IP:192.0.2.1"), signed by the shared
// P-256 test key, for code that reads names out of them.
#pragma once

#include "test/support/test_keys.hpp"

#include <openssl/x509v3.h>

#include <initializer_list>
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
    if (!cn.empty() &&
        X509_NAME_add_entry_by_txt(name.get(), "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn.data()),
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

// A CSR built attribute by attribute, for requests no ordinary tool writes: several
// extension-request attributes, several values in one, repeated or undecodable extensions.
class csr_builder {
public:
    explicit csr_builder(std::string_view cn) : req_(X509_REQ_new())
    {
        X509_REQ_set_version(req_.get(), X509_REQ_VERSION_1);
        X509_REQ_set_subject_name(req_.get(), x509_detail::subject(cn).get());
        X509_REQ_set_pubkey(req_.get(), shared_p256());
    }

    // One attribute (nid: NID_ext_req or NID_ms_ext_req) holding one subjectAltName extension
    // per entry of sans (OpenSSL's config syntax each), critical or not.
    csr_builder& san_attribute(std::initializer_list<std::string_view> sans, int nid = NID_ext_req,
                               bool critical = false)
    {
        // OpenSSL 3 refuses to add a second attribute of one type: added under a placeholder
        // type, then renamed.
        const std::string value = extensions_der(extensions(sans, critical).get());
        if (X509_REQ_add1_attr_by_NID(req_.get(), NID_pkcs9_unstructuredAddress, V_ASN1_SEQUENCE,
                                      reinterpret_cast<const unsigned char*>(value.data()),
                                      static_cast<int>(value.size())) != 1 ||
            X509_ATTRIBUTE_set1_object(last_attribute(), OBJ_nid2obj(nid)) != 1)
            throw std::runtime_error("extension-request attribute");
        return *this;
    }

    // A second value in the last attribute: the subjectAltName extensions of sans.
    csr_builder& second_value(std::initializer_list<std::string_view> sans)
    {
        const std::string value = extensions_der(extensions(sans, false).get());
        if (X509_ATTRIBUTE_set1_data(last_attribute(), V_ASN1_SEQUENCE, value.data(), static_cast<int>(value.size())) !=
            1)
            throw std::runtime_error("X509_ATTRIBUTE_set1_data");
        return *this;
    }

    // An extensionRequest attribute whose value is a SEQUENCE but no list of extensions.
    csr_builder& undecodable_extensions()
    {
        static constexpr unsigned char not_extensions[] = {0x30, 0x03, 0x02, 0x01, 0x01};
        if (X509_REQ_add1_attr_by_NID(req_.get(), NID_pkcs9_unstructuredAddress, V_ASN1_SEQUENCE, not_extensions,
                                      sizeof not_extensions) != 1 ||
            X509_ATTRIBUTE_set1_object(last_attribute(), OBJ_nid2obj(NID_ext_req)) != 1)
            throw std::runtime_error("undecodable extension-request attribute");
        return *this;
    }

    std::string der()
    {
        if (X509_REQ_sign(req_.get(), shared_p256(), EVP_sha256()) <= 0)
            throw std::runtime_error("X509_REQ_sign");
        return x509_detail::der<i2d_X509_REQ>(req_.get());
    }

private:
    X509_ATTRIBUTE* last_attribute() { return X509_REQ_get_attr(req_.get(), X509_REQ_get_attr_count(req_.get()) - 1); }

    static x509_extensions_ptr extensions(std::initializer_list<std::string_view> sans, bool critical)
    {
        x509_extensions_ptr exts(sk_X509_EXTENSION_new_null());
        for (const std::string_view san : sans) {
            auto ext = x509_detail::san_extension(san);
            X509_EXTENSION_set_critical(ext.get(), critical ? 1 : 0);
            sk_X509_EXTENSION_push(exts.get(), ext.release());
        }
        return exts;
    }

    static std::string extensions_der(const STACK_OF(X509_EXTENSION) * exts)
    {
        unsigned char* out = nullptr;
        const int n = ASN1_item_i2d(reinterpret_cast<const ASN1_VALUE*>(exts), &out, ASN1_ITEM_rptr(X509_EXTENSIONS));
        if (n <= 0)
            throw std::runtime_error("i2d X509_EXTENSIONS");
        std::string result(reinterpret_cast<char*>(out), static_cast<std::size_t>(n));
        OPENSSL_free(out);
        return result;
    }

    x509_req_ptr req_;
};

// san empty: no subjectAltName extension.
inline std::string der_csr(std::string_view cn, std::string_view san)
{
    csr_builder csr(cn);
    if (!san.empty())
        csr.san_attribute({san});
    return csr.der();
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
