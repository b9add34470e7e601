// SPDX-License-Identifier: GPL-3.0-or-later
#include "client/pem_chain.hpp"

#include "client/client_error.hpp"
#include "common/openssl_ptr.hpp"
#include "common/pem_certificates.hpp"

#include <openssl/x509.h>

namespace lacme::client {
namespace {

std::vector<x509_ptr> read_chain(std::string_view pem)
{
    try {
        return read_pem_certificates(pem);
    } catch (const lacme::error& e) {
        throw acme_error(std::string("the CA's certificate chain: ") + e.what());
    }
}

std::string common_name(const X509_NAME* name)
{
    if (!name)
        return {};
    const int index = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
    if (index < 0)
        return {};
    const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
    unsigned char* utf8 = nullptr;
    const int len = ASN1_STRING_to_UTF8(&utf8, data);
    const lacme::openssl_memory_ptr<unsigned char> owned(utf8);
    if (len < 0)
        return {};
    return {reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(len)};
}

// Issuer commonName of the last certificate in the chain (the one closest to the root), or "".
std::string top_issuer_common_name(const std::vector<x509_ptr>& certs)
{
    return common_name(X509_get_issuer_name(certs.back().get()));
}

}  // namespace

std::size_t count_pem_certificates(std::string_view pem)
{
    return read_chain(pem).size();
}

bool chain_matches_preferred(std::string_view pem, std::string_view preferred)
{
    const auto certs = read_chain(pem);
    if (top_issuer_common_name(certs) == preferred)
        return true;
    for (std::size_t i = 1; i < certs.size(); ++i)
        if (common_name(X509_get_subject_name(certs[i].get())) == preferred)
            return true;
    return false;
}

}  // namespace lacme::client
