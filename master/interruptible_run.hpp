// SPDX-License-Identifier: GPL-3.0-or-later
// How the runners of clients (section_runner, batch_order_runner) run the master's loop and stop
// on a signal: the loop runs dry; the first SIGINT, SIGTERM or SIGHUP calls every runner's stop
// (drop the work not started, SIGTERM the clients), and their kill (drop the clients: their
// destructors kill them) runs after interrupt_grace, or at once if no timer can be had, and
// always at the end. Several runners share one run: their clients run at the same time.
#pragma once

#include "master/master_loop.hpp"

#include <chrono>
#include <initializer_list>

namespace lacme::master {

// How long interrupted clients get to exit after SIGTERM before they are killed.
inline constexpr std::chrono::milliseconds interrupt_grace{2000};

class client_runner {
public:
    virtual void start() = 0;  // starts the first clients
    virtual void stop() = 0;
    virtual void kill() = 0;

protected:
    client_runner() = default;
    client_runner(const client_runner&) = default;
    client_runner& operator=(const client_runner&) = default;
    ~client_runner() = default;
};

// False when a signal interrupted the run (or came before it: nothing is started then).
bool run_interruptibly(master_loop& master, std::initializer_list<client_runner*> runners);

}  // namespace lacme::master
