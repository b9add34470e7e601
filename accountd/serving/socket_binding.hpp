// SPDX-License-Identifier: GPL-3.0-or-later
// What one listening socket of lacme-accountd serves: connections decided for one tenant (the
// single socket of lacme 0.8, or a [listener NAME] socket, e.g. forwarded by `ssh -R` from one
// web host), or, on the relay socket, connections that name their listener in a relay header
// (accountd/relay/relay_header.hpp) and are served only from lacme-accountd's own uid.
#pragma once

#include "accountd/serving/signing_service.hpp"

#include <functional>
#include <map>
#include <optional>
#include <string>

namespace lacme::accountd {

struct socket_binding {
    int listen_fd = -1;  // owned by its socket_listener
    std::string listener;  // [listener NAME], empty for the single socket: for log lines
    std::optional<tenant> direct;  // empty: the relay socket
};

// The listeners a relay header may name.
using relay_directory = std::map<std::string, tenant, std::less<>>;

}  // namespace lacme::accountd
