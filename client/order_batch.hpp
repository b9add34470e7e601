// SPDX-License-Identifier: GPL-3.0-or-later
// `newOrders`: the orders of many certificate sections in one client process, over one accountd
// connection and one TLS connection (framing in common/order_batch_protocol.hpp). Each request
// climbs the same ladder as newOrder (run_order); its failure is its answer, and an "Error: "
// line on stderr as newOrder would end with. Returns at the end of input; throws lacme::error
// for a fatal error: a broken request line, or accountd's connection lost (the order that found
// it lost is left unanswered: the master knows why from its relay).
#pragma once

#include "client/client_config.hpp"
#include "client/order_request.hpp"

#include "common/order_batch_protocol.hpp"

#include <chrono>

namespace lacme::client {

class acme_session;

// The newOrder a request asks for: its section's preferred chain, else the config's.
order_request order_of(const order_batch_request& request, const client_config& config);

// Serves requests read from in_fd, answering each on out_fd; each order gets order_time_limit.
void serve_order_batch(acme_session& session, const client_config& config, int in_fd, int out_fd,
                       std::chrono::seconds order_time_limit);

}  // namespace lacme::client
