// SPDX-License-Identifier: GPL-3.0-or-later
// The client's messages, all through common's logger: notices and warnings at info level (always
// on stderr), DEBUG=1 traces at debug level, each trace saying how far into the run it was
// written, which is what one needs to see where an order spends its time. Callers pass only
// sanitized CA text (printable_for_log) and never secrets.
#pragma once

#include "common/log.hpp"

#include <chrono>
#include <string_view>

namespace lacme::client {

class run_log {
public:
    explicit run_log(lacme::logger& out) : out_(out), start_(std::chrono::steady_clock::now()) {}

    [[nodiscard]] bool debugging() const noexcept { return out_.enabled(lacme::log_level::debug); }
    void debug(std::string_view message);  // "[client +123ms] message"
    void info(std::string_view message) { out_.info(message); }
    void warning(std::string_view message) { out_.warning(message); }

private:
    lacme::logger& out_;
    std::chrono::steady_clock::time_point start_;
};

}  // namespace lacme::client
