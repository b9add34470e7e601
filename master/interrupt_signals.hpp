// SPDX-License-Identifier: GPL-3.0-or-later
// SIGINT, SIGTERM and SIGHUP as a readable fd (signalfd) while the master waits outside its
// event loop (notify commands): lacme(8) promises that these signals stop the run promptly,
// and the event loop's own watchers only see them when the loop runs.
#pragma once

#include "common/unique_fd.hpp"

#include <signal.h>

namespace lacme::master {

class interrupt_signals {
public:
    // Blocks the three signals (so that they queue on fd() instead of reaching the event
    // loop's handler); the destructor restores the previous mask.
    interrupt_signals();
    ~interrupt_signals();
    interrupt_signals(const interrupt_signals&) = delete;
    interrupt_signals& operator=(const interrupt_signals&) = delete;

    // Readable when one of the signals is pending.
    [[nodiscard]] int fd() const noexcept { return fd_.get(); }
    // The pending signal's number (consumed), or 0 when none is pending. Never blocks.
    int take() noexcept;

private:
    sigset_t previous_{};
    unique_fd fd_;
};

}  // namespace lacme::master
