// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzzes certificate chains as the CA returns them (application/pem-certificate-chain) and as
// installed files are read back. Input: first byte 'P': PEM text as is; otherwise the rest is
// DER certificates, split at 0xff 0x00 0xff and wrapped in PEM blocks, so the fuzzer mutates
// DER directly. Invariants: a list of certificates or lacme::error, the limit on their number holds;
// each certificate written back with pem_of reads back to the same DER; the client's count and
// preferred-chain check agree with the reader.
#include "client/client_error.hpp"
#include "client/pem_chain.hpp"
#include "common/base64url.hpp"
#include "common/error.hpp"
#include "common/pem_certificates.hpp"

#include <openssl/x509.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

void require(bool condition)
{
    if (!condition)
        std::abort();
}

std::string der_of(X509& certificate)
{
    unsigned char* out = nullptr;
    const int n = i2d_X509(&certificate, &out);
    require(n > 0);
    std::string der(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
    OPENSSL_free(out);
    return der;
}

std::string pem_block(std::string_view der)
{
    std::string b64 = lacme::base64url_encode(der);
    std::replace(b64.begin(), b64.end(), '-', '+');
    std::replace(b64.begin(), b64.end(), '_', '/');
    while (b64.size() % 4 != 0)
        b64 += '=';
    std::string out = "-----BEGIN CERTIFICATE-----\n";
    for (std::size_t i = 0; i < b64.size(); i += 64)
        out.append(b64, i, 64).append("\n");
    return out + "-----END CERTIFICATE-----\n";
}

std::string pem_of_ders(std::string_view ders)
{
    constexpr std::string_view separator("\xff\x00\xff", 3);
    std::string pem;
    while (true) {
        const std::size_t at = ders.find(separator);
        pem += pem_block(ders.substr(0, at));
        if (at == std::string_view::npos)
            return pem;
        ders.remove_prefix(at + separator.size());
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
    const std::string pem = data[0] == 'P' ? std::string(input) : pem_of_ders(input);

    std::vector<lacme::x509_ptr> certificates;
    try {
        certificates = lacme::read_pem_certificates(pem);
        require(!certificates.empty() && certificates.size() <= 20);
    } catch (const lacme::error&) {
    }
    for (const auto& certificate : certificates) {
        const auto again = lacme::read_pem_certificates(lacme::pem_of(*certificate));  // must not throw
        require(again.size() == 1 && der_of(*again.front()) == der_of(*certificate));
    }
    if (!certificates.empty()) {
        bool within_limit = true;
        try {
            (void)lacme::read_pem_certificates(pem, 2);
        } catch (const lacme::error&) {
            within_limit = false;
        }
        require(within_limit == (certificates.size() <= 2));
    }

    try {
        require(lacme::client::count_pem_certificates(pem) == certificates.size());
        (void)lacme::client::chain_matches_preferred(pem, "ISRG Root X1");
        (void)lacme::client::chain_matches_preferred(pem, "");
    } catch (const lacme::client::acme_error&) {
        require(certificates.empty());
    }
    return 0;
}
