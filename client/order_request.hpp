// SPDX-License-Identifier: GPL-3.0-or-later
// What a newOrder is asked for, and the names it is for as the CA wants them (RFC 8555 §7.1.3
// identifiers) and as messages say them. Shared by run_order (order_flow) and its steps.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace lacme::client {

struct order_request {
    std::vector<std::string> names;  // DNS names or IP addresses (RFC 8738)
    std::string csr_der;
    std::string replaces;  // ARI certificate identifier of the certificate being renewed
    std::string preferred_chain;  // issuer CN; "" for the CA's default chain
    std::string challenge = "http-01";  // or "dns-01" (client_config's challenge)
};

// {"type":"ip"|"dns","value":...}; IPv6 addresses are normalised (RFC 8738 §3 wants RFC 5952).
nlohmann::json identifier_for(const std::string& name);

// "a.example, b.example": how messages name the order.
std::string names_of(const order_request& request);

}  // namespace lacme::client
