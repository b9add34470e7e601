// lacme-accountd's serving modes: a UNIX socket served by one event loop per core, or one peer
// on stdin/stdout (--stdio). Both end cleanly on SIGINT/SIGTERM.
#pragma once

#include "accountd/signing_service.hpp"
#include "accountd/socket_listener.hpp"

namespace lacme::accountd {

// Both return the exit status.
int serve_socket(signing_service& service, socket_listener& listener);
int serve_stdio(signing_service& service);

}  // namespace lacme::accountd
