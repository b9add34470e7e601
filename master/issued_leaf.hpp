// SPDX-License-Identifier: GPL-3.0-or-later
// The leaf a client returned after a newOrder, checked to be the certificate this run ordered
// (lacme(8) "issued certificates"): a compromised client must not get an old (perhaps revoked)
// certificate or one for other names installed.
#pragma once

#include "master/certificate_config.hpp"

#include <openssl/x509.h>

#include <chrono>

namespace lacme::master {

// How long before the client started the leaf's notBefore may be: the CA's backdating (Let's
// Encrypt's is one hour) plus one hour of difference between the CA's clock and ours.
inline constexpr std::chrono::hours issuance_allowance{2};

// Throws lacme::error unless the leaf's subjectAltName entries (DNS names, compared without
// regard to case, and IP addresses) are exactly the section's identifiers, and its notBefore is
// no earlier than ordered_at minus issuance_allowance.
void check_issued_leaf(const X509& leaf, const certificate_section& section,
                       std::chrono::system_clock::time_point ordered_at);

}  // namespace lacme::master
