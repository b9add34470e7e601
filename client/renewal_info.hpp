// ACME Renewal Information (RFC 9773): the certificate identifier and the suggested renewal
// window the CA publishes for it.
#pragma once

#include "client/acme_session.hpp"

#include <string>
#include <string_view>

namespace lacme::client {

// base64url(AKI keyIdentifier) "." base64url(serial number DER content octets), from a DER
// certificate. Throws acme_error when the certificate has no usable AKI.
std::string ari_certificate_id(std::string_view certificate_der);

// Checks the renewalInfo response: a JSON object whose suggestedWindow has RFC 3339 start and
// end with start < end. Returns the object; throws acme_error otherwise.
nlohmann::json parse_renewal_info(std::string_view body);

// GET renewalInfo/CERTID (unsigned); the CA must advertise renewalInfo.
nlohmann::json fetch_renewal_info(acme_session& session, std::string_view certificate_der);

}  // namespace lacme::client
