// SPDX-License-Identifier: GPL-3.0-or-later
// Test helper: a two-level test CA made in-process (root and intermediate), issuing server
// certificates for given keys, and the files a certificate section points at.
#pragma once

#include "test/support/temp_dir.hpp"
#include "test/support/test_keys.hpp"
#include "common/pem_certificates.hpp"
#include "master/certificate_config.hpp"

#include <openssl/x509v3.h>

#include <sys/stat.h>

#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

namespace lacme::test {

// What a leaf may get wrong.
struct leaf_options {
    std::string extended_key_usage = "serverAuth";
    bool authority_key_id = true;  // required by strict (RFC 5280) verification
};

class test_ca {
public:
    test_ca()
        : root_key_(generate_ec("P-256")),
          root_(make_certificate("Test Root", root_key_.get(), nullptr, root_key_.get(), 3650, 1, true)),
          intermediate_key_(generate_ec("P-256")),
          intermediate_(make_certificate("Test Intermediate", intermediate_key_.get(), root_.get(), root_key_.get(),
                                         3650, 2, true))
    {}

    // A server certificate for key, valid from an hour ago for `days` days (negative: expired).
    x509_ptr issue(EVP_PKEY* key, const std::string& dns_name, int days = 90, long serial = 100,
                   const leaf_options& options = {}) const
    {
        return make_certificate(dns_name, key, intermediate_.get(), intermediate_key_.get(), days, serial, false,
                                "DNS:" + dns_name, options);
    }
    // Leaf then intermediate, as a CA returns it.
    std::string chain_pem(X509& leaf) const { return pem_of(leaf) + pem_of(*intermediate_); }
    std::string root_pem() const { return pem_of(*root_); }
    X509& intermediate() const { return *intermediate_; }

private:
    static void add_extension(X509* cert, X509V3_CTX& ctx, int nid, const std::string& value)
    {
        X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
        if (ext == nullptr || X509_add_ext(cert, ext, -1) != 1)
            throw std::runtime_error("test certificate extension " + value);
        X509_EXTENSION_free(ext);
    }

    static x509_ptr make_certificate(const std::string& common_name, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key,
                                     int days, long serial, bool is_ca, const std::string& alt_name = {},
                                     const leaf_options& options = {})
    {
        x509_ptr cert(X509_new());
        X509_set_version(cert.get(), X509_VERSION_3);
        ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
        X509_NAME* name = X509_get_subject_name(cert.get());
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1, 0);
        X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name);
        std::time_t now = std::time(nullptr);
        X509_time_adj_ex(X509_getm_notBefore(cert.get()), days < 0 ? days - 1 : 0, -3600, &now);
        X509_time_adj_ex(X509_getm_notAfter(cert.get()), days, 0, &now);
        X509_set_pubkey(cert.get(), key);
        X509V3_CTX ctx;
        X509V3_set_ctx(&ctx, issuer ? issuer : cert.get(), cert.get(), nullptr, nullptr, 0);
        add_extension(cert.get(), ctx, NID_basic_constraints, is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
        add_extension(cert.get(), ctx, NID_key_usage,
                      is_ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature,keyEncipherment");
        add_extension(cert.get(), ctx, NID_subject_key_identifier, "hash");
        if (options.authority_key_id)
            add_extension(cert.get(), ctx, NID_authority_key_identifier, "keyid:always");
        if (!is_ca) {
            add_extension(cert.get(), ctx, NID_ext_key_usage, options.extended_key_usage);
            add_extension(cert.get(), ctx, NID_subject_alt_name, alt_name);
        }
        if (X509_sign(cert.get(), issuer_key, EVP_sha256()) <= 0)
            throw std::runtime_error("test certificate signature");
        return cert;
    }

    evp_pkey_ptr root_key_;
    x509_ptr root_;
    evp_pkey_ptr intermediate_key_;
    x509_ptr intermediate_;
};

// The test CA shared by a test executable (key generation is the slow part).
inline const test_ca& shared_ca()
{
    static const test_ca ca;
    return ca;
}

// Section "www" with its files in dir: www.crt, www.chain.pem, the service key www.key (mode
// 0600, written here) and ca.pem trusting the shared test CA (written here).
inline master::certificate_section section_in(const temp_dir& dir, EVP_PKEY* key)
{
    master::certificate_section s;
    s.name = "www";
    s.certificate = dir.file("www.crt");
    s.certificate_chain = dir.file("www.chain.pem");
    s.certificate_key = dir.file("www.key");
    s.subject = "/CN=www.example.org";
    s.ca_file = dir.file("ca.pem");
    write_file(s.certificate_key, private_key_pem(key, pem_format::pkcs8));
    ::chmod(s.certificate_key.c_str(), 0600);
    write_file(s.ca_file, shared_ca().root_pem());
    return s;
}

// stdout of a shell command (an oracle such as `openssl req`), binary-safe.
inline std::string command_output(const std::string& command)
{
    std::FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr)
        throw std::runtime_error("popen " + command);
    std::string out;
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;)
        out.append(buf, n);
    if (::pclose(pipe) != 0)
        throw std::runtime_error("command failed: " + command);
    return out;
}

}  // namespace lacme::test
