// SPDX-License-Identifier: GPL-3.0-or-later
// newOrder (RFC 8555 §7.4): order, authorizations fetched and http-01 challenges answered in
// parallel (already-valid ones skipped), key authorizations written to the cwd, polling with
// Retry-After / backoff until the deadline, finalize with the CSR, chain download with
// preferred-chain selection among Link: rel="alternate" chains. The steps are in order_steps.
#pragma once

#include "client/order_request.hpp"

#include <string>

namespace lacme::client {

class acme_session;

// Returns the PEM chain. Challenge files it created are removed before it returns or throws.
std::string run_order(acme_session& session, const order_request& request);

}  // namespace lacme::client
