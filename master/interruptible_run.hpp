// SPDX-License-Identifier: GPL-3.0-or-later
// How the runners of clients (section_runner, batch_order_runner) run the master's loop and stop
// on a signal: the loop runs dry; the first SIGINT, SIGTERM or SIGHUP calls stop (drop the work
// not started, SIGTERM the clients), and kill (drop the clients: their destructors kill them)
// runs after interrupt_grace, or at once if no timer can be had, and always at the end.
#pragma once

#include "master/master_loop.hpp"

#include <chrono>
#include <functional>

namespace lacme::master {

// How long interrupted clients get to exit after SIGTERM before they are killed.
inline constexpr std::chrono::milliseconds interrupt_grace{2000};

// start: starts the first clients. False when a signal interrupted the run (or came before it:
// nothing is started then).
bool run_interruptibly(master_loop& master, const std::function<void()>& start, const std::function<void()>& stop,
                       const std::function<void()>& kill);

}  // namespace lacme::master
