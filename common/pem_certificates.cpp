// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/pem_certificates.hpp"

#include "common/error.hpp"
#include "common/openssl_error.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>

namespace lacme {

std::vector<x509_ptr> read_pem_certificates(std::string_view pem, std::size_t max_certificates)
{
    std::vector<x509_ptr> certs;
    const bio_ptr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio)
        throw_openssl("BIO_new_mem_buf");
    while (true) {
        x509_ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
        if (!cert) {
            const unsigned long err = ERR_peek_last_error();
            ERR_clear_error();
            // Running out of PEM blocks is the normal end; anything else is a broken file.
            if (ERR_GET_REASON(err) != PEM_R_NO_START_LINE)
                throw error("malformed PEM certificate");
            if (certs.empty())
                throw error("no PEM certificate");
            return certs;
        }
        if (certs.size() == max_certificates)
            throw error("more than " + std::to_string(max_certificates) + " certificates");
        certs.push_back(std::move(cert));
    }
}

std::string pem_of(X509& certificate)
{
    const bio_ptr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_X509(bio.get(), &certificate) != 1)
        throw_openssl("PEM_write_bio_X509");
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
}

}  // namespace lacme
