// SPDX-License-Identifier: GPL-3.0-or-later
// Certificate chains as the CA returns them (application/pem-certificate-chain) and the few
// facts the client needs from certificates: the issuer CN at the top of a chain (for
// preferred-chain) and the ARI certificate identifier.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lacme::client {

// Number of certificates; throws acme_error when the text holds none or a malformed one.
std::size_t count_pem_certificates(std::string_view pem);

// True when preferred (an issuer CN) names the top issuer, or any certificate's subject or
// issuer CN in the chain (a cross-signed intermediate can also identify a chain).
bool chain_matches_preferred(std::string_view pem, std::string_view preferred);

}  // namespace lacme::client
