// SPDX-License-Identifier: GPL-3.0-or-later
// The names a CSR (finalize) or a certificate (revokeCert) would vouch for, read with OpenSSL
// from the base64url DER that ACME carries: every subjectAltName entry and every subject CN.
// What the policy must allow before accountd signs for them.
#pragma once

#include "accountd/policy/identifier_match.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace lacme::accountd {

// DNS SANs and CNs as "dns" (a CN that is an IP address as "ip"), IP SANs as "ip" in their
// canonical text form, any other SAN type as an identifier of that type (which no policy
// allows). nullopt when the input is not base64url DER of the expected object, has trailing
// bytes or names more than a few thousand things; for a CSR also when any CA parser could read
// other extensions than OpenSSL does: several extension-request attributes (extensionRequest or
// msExtReq), several values in one, an extension twice, or extensions OpenSSL cannot decode.
std::optional<std::vector<identifier>> csr_names(std::string_view base64url_der);
std::optional<std::vector<identifier>> certificate_names(std::string_view base64url_der);

}  // namespace lacme::accountd
