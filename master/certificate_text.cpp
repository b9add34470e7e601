// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/certificate_text.hpp"

#include "common/openssl_error.hpp"
#include "common/openssl_ptr.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>

#include <cstdio>

namespace lacme::master {
namespace {

std::string sha256_fingerprint(const X509& certificate)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (X509_digest(&certificate, EVP_sha256(), md, &size) != 1)
        throw_openssl("X509_digest");
    std::string line = "sha256 Fingerprint=";  // the digest as named on openssl's command line
    constexpr std::string_view hex_digits = "0123456789ABCDEF";
    for (unsigned int i = 0; i < size; ++i) {
        line += hex_digits[md[i] >> 4];
        line += hex_digits[md[i] & 0x0F];
        line += i + 1 == size ? '\n' : ':';
    }
    return line;
}

}  // namespace

std::string certificate_text(X509& certificate, certificate_extensions extensions)
{
    const bio_ptr out(BIO_new(BIO_s_mem()));
    if (!out)
        throw_openssl("BIO_new");
    unsigned long flags = X509_FLAG_NO_HEADER | X509_FLAG_NO_VERSION | X509_FLAG_NO_PUBKEY | X509_FLAG_NO_SIGDUMP;
    if (extensions == certificate_extensions::hidden)
        flags |= X509_FLAG_NO_EXTENSIONS;
    // XN_FLAG_ONELINE: the name format of openssl x509 without -nameopt.
    if (X509_print_ex(out.get(), &certificate, XN_FLAG_ONELINE, flags) != 1)
        throw_openssl("X509_print_ex");
    char* data = nullptr;
    const long size = BIO_get_mem_data(out.get(), &data);
    return sha256_fingerprint(certificate) + std::string(data, static_cast<std::size_t>(size > 0 ? size : 0));
}

}  // namespace lacme::master
