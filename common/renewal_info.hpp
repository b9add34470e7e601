// SPDX-License-Identifier: GPL-3.0-or-later
// ACME Renewal Information (RFC 9773): what both the client (which fetches it) and the master
// (which decides on it) need: the certificate identifier and the suggested renewal window.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace lacme {

struct renewal_window {
    std::chrono::system_clock::time_point start;
    std::chrono::system_clock::time_point end;
};

// base64url(AKI keyIdentifier) "." base64url(serial number DER content octets), from a DER
// certificate. Throws lacme::error when the certificate is not DER or has no usable AKI.
std::string ari_certificate_id(std::string_view certificate_der);

// The suggestedWindow of a renewalInfo object: RFC 3339 start and end, start < end. Throws
// lacme::error naming what is wrong.
renewal_window suggested_window(const nlohmann::json& renewal_info);

// RFC 3339 date-time (fractions dropped, offsets honoured); nullopt when malformed.
std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view text);

}  // namespace lacme
