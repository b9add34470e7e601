// SPDX-License-Identifier: GPL-3.0-or-later
// lacme-accountd's serving modes: a UNIX socket served by one event loop per core, or one peer
// on stdin/stdout (--stdio). Both end cleanly on SIGINT/SIGTERM. The constructors do all the
// set-up (event loops, the listening or stdio streams, signal watchers) and run() only serves,
// so that main can enter the sandbox in between (accountd/sandbox_policy.hpp).
#pragma once

#include "accountd/serving/loop_worker.hpp"
#include "accountd/serving/signing_service.hpp"
#include "accountd/serving/socket_binding.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace lacme::accountd {

// run() returns the exit status. A peer that makes no progress for idle_timeout (0: no
// limit) is dropped.
class socket_server {
public:
    // bindings: every socket served, at the paths given (for the start-up line); relays: what a
    // relay socket's headers may name (outlives the server), null without a relay socket.
    socket_server(signing_service& service, std::vector<socket_binding> bindings, std::vector<std::string> paths,
                  std::chrono::seconds idle_timeout, const relay_directory* relays = nullptr);
    int run();

private:
    signing_service& service_;
    std::vector<std::string> paths_;
    worker_pool_state pool_;
    std::vector<std::unique_ptr<loop_worker>> workers_;
};

class stdio_server {
public:
    stdio_server(signing_service& service, std::chrono::seconds idle_timeout);
    int run();

private:
    worker_pool_state pool_;
    loop_worker worker_;
};

}  // namespace lacme::accountd
