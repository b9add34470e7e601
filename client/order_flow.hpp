// SPDX-License-Identifier: GPL-3.0-or-later
// newOrder (RFC 8555 §7.4): order, authorizations fetched and http-01 challenges answered in
// parallel (already-valid ones skipped), key authorizations written to the cwd, polling with
// Retry-After / backoff until the deadline, finalize with the CSR, chain download with
// preferred-chain selection among Link: rel="alternate" chains. The steps are in order_steps.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace lacme::client {

struct order_request {
    std::vector<std::string> names;  // DNS names or IP addresses (RFC 8738)
    std::string csr_der;
    std::string replaces;            // ARI certificate identifier of the certificate being renewed
    std::string preferred_chain;     // issuer CN; "" for the CA's default chain
};

// {"type":"ip"|"dns","value":...}; IPv6 addresses are normalised (RFC 8738 §3 wants RFC 5952).
nlohmann::json identifier_for(const std::string& name);

// "a.example, b.example": how messages name the order.
std::string names_of(const order_request& request);

class acme_session;

// Returns the PEM chain. Challenge files it created are removed before it returns or throws.
std::string run_order(acme_session& session, const order_request& request);

}  // namespace lacme::client
