// SPDX-License-Identifier: GPL-3.0-or-later
// The sections' `notify` commands: each distinct one run once, after every install of the run,
// through /bin/sh -c as root (lacme's behaviour), its output logged line by line (at most
// notify_output_cap bytes in all; the rest is counted).
#pragma once

#include "common/log.hpp"

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace lacme::master {

inline constexpr std::size_t notify_output_cap = std::size_t{64} * 1024;

struct notify_failure {
    std::string command;
    std::string reason;
    bool ran = true;  // false: a signal came before the command started
};

struct notify_outcome {
    std::vector<notify_failure> failures;
    int interrupted_by = 0;  // SIGINT/SIGTERM/SIGHUP that stopped the commands; 0: none
};

// Commands in first-seen order, duplicates dropped. Each runs in its own process group: past
// its timeout, or when SIGINT/SIGTERM/SIGHUP arrives, it is killed with everything it started
// (a daemon it left behind after exiting is kept: that is a service being reloaded). After a
// signal the remaining commands are not run (each is a failure "not run: ...").
notify_outcome run_notify_commands(const std::vector<std::string>& commands, logger& log,
                                   std::chrono::seconds timeout = std::chrono::seconds(300));

}  // namespace lacme::master
