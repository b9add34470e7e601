// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/certificate_files.hpp"

#include "common/error.hpp"
#include "common/fd_io.hpp"
#include "common/openssl_error.hpp"
#include "common/pem_certificates.hpp"
#include "common/secret.hpp"

#include <openssl/pem.h>

#include <ctime>

namespace lacme::master {
namespace {

// Key and certificate files are small; a bound keeps a wrong path (a device, a huge file) harmless.
constexpr std::size_t max_file_size = 1 << 20;

int refuse_passphrase(char*, int, int, void*)
{
    return -1;
}

}  // namespace

evp_pkey_ptr load_service_key(const std::string& path)
{
    const secret_string text(read_file(path, max_file_size, true));
    const bio_ptr bio(BIO_new_mem_buf(text.reveal().data(), static_cast<int>(text.size())));
    evp_pkey_ptr key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, refuse_passphrase, nullptr) : nullptr);
    if (!key)
        throw_openssl(path + ": not an unencrypted PEM private key");
    return key;
}

x509_ptr read_certificate_file(const std::string& path)
{
    const std::string text = read_file(path, max_file_size);
    try {
        return std::move(read_pem_certificates(text).front());
    } catch (const error& e) {
        throw error(path + ": " + e.what());
    }
}

std::chrono::system_clock::time_point expiry_of(const X509& certificate)
{
    std::tm tm{};
    if (ASN1_TIME_to_tm(X509_get0_notAfter(&certificate), &tm) != 1)
        throw_openssl("invalid notAfter date");
    return std::chrono::system_clock::from_time_t(::timegm(&tm));
}

bool certificate_matches_key(const X509& certificate, const EVP_PKEY& key)
{
    const EVP_PKEY* public_key = X509_get0_pubkey(&certificate);
    return public_key != nullptr && EVP_PKEY_eq(public_key, &key) == 1;
}

std::string der_of(X509& certificate)
{
    unsigned char* der = nullptr;
    const int length = i2d_X509(&certificate, &der);
    const openssl_memory_ptr<unsigned char> owned(der);
    if (length <= 0)
        throw_openssl("i2d_X509");
    return {reinterpret_cast<const char*>(der), static_cast<std::size_t>(length)};
}

}  // namespace lacme::master
