// SPDX-License-Identifier: GPL-3.0-or-later
// Text forms of X.509 subjectAltName entries, shared by accountd's CSR reading and the master's
// check of the issued certificate, so both name an address the same way.
#pragma once

#include <openssl/asn1.h>

#include <optional>
#include <string>

namespace lacme {

// An iPAddress entry (4 or 16 bytes) as inet_ntop writes it; nullopt for any other length.
std::optional<std::string> ip_address_text(const ASN1_OCTET_STRING& bytes);

}  // namespace lacme
