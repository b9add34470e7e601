// The sections' `notify` commands: each distinct one run once, after every install of the run,
// through /bin/sh -c as root (lacme's behaviour), its output logged line by line.
#pragma once

#include "common/log.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace lacme::master {

struct notify_failure {
    std::string command;
    std::string reason;
};

// Commands in first-seen order, duplicates dropped. Each is bounded by timeout (then killed).
std::vector<notify_failure> run_notify_commands(const std::vector<std::string>& commands, logger& log,
                                                std::chrono::seconds timeout = std::chrono::seconds(300));

}  // namespace lacme::master
