// SPDX-License-Identifier: GPL-3.0-or-later
// lacme-accountd's serving modes: a UNIX socket served by one event loop per core, or one peer
// on stdin/stdout (--stdio). Both end cleanly on SIGINT/SIGTERM.
#pragma once

#include "accountd/serving/signing_service.hpp"
#include "accountd/serving/socket_listener.hpp"

#include <chrono>

namespace lacme::accountd {

// Both return the exit status. A peer that makes no progress for idle_timeout (0: no limit)
// is dropped.
int serve_socket(signing_service& service, socket_listener& listener, std::chrono::seconds idle_timeout);
int serve_stdio(signing_service& service, std::chrono::seconds idle_timeout);

}  // namespace lacme::accountd
