// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/x509_names.hpp"

#include <arpa/inet.h>

#include <array>

namespace lacme {

std::optional<std::string> ip_address_text(const ASN1_OCTET_STRING& bytes)
{
    std::array<char, INET6_ADDRSTRLEN> text{};
    const int length = ASN1_STRING_length(&bytes);
    const int family = length == 4 ? AF_INET : length == 16 ? AF_INET6 : AF_UNSPEC;
    if (family == AF_UNSPEC || ::inet_ntop(family, ASN1_STRING_get0_data(&bytes), text.data(), text.size()) == nullptr)
        return std::nullopt;
    return std::string(text.data());
}

}  // namespace lacme
