// SPDX-License-Identifier: GPL-3.0-or-later
// What the configured client supports beyond lacme 0.8's interface, asked once per run with
// `client capabilities CONFIG_FD SOCKET_FD`: ours prints one feature a line; lacme 0.8's client
// knows no such command and fails, so a client that fails has none. The master never passes a
// client an argument it did not list (lacme 0.8's client takes `--replaces=ID` for a name).
#pragma once

#include "master/master_loop.hpp"

#include <string_view>

namespace lacme::master {

struct client_capabilities {
    bool replaces = false;  // newOrder --replaces=ID (RFC 9773)
    bool orders = false;  // newOrders: many sections' orders in one process (common/order_batch_protocol.hpp)
};

client_capabilities parse_client_capabilities(std::string_view output);
client_capabilities query_client_capabilities(master_loop& master);

}  // namespace lacme::master
