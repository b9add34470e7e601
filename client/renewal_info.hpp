// SPDX-License-Identifier: GPL-3.0-or-later
// ACME Renewal Information (RFC 9773): fetching the suggested renewal window the CA publishes
// for a certificate (identifier and window checks in common/renewal_info).
#pragma once

#include "client/acme_session.hpp"

#include <string>
#include <string_view>

namespace lacme::client {

// Checks the renewalInfo response: a JSON object whose suggestedWindow has RFC 3339 start and
// end with start < end. Returns the object; throws acme_error otherwise.
nlohmann::json parse_renewal_info(std::string_view body);

// GET renewalInfo/CERTID (unsigned); the CA must advertise renewalInfo.
nlohmann::json fetch_renewal_info(acme_session& session, std::string_view certificate_der);

}  // namespace lacme::client
