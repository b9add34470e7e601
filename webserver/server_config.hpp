// SPDX-License-Identifier: GPL-3.0-or-later
// Limits and timeouts of the challenge server. Defaults are what `webserver FD` runs with;
// tests shrink the timeouts.
#pragma once

#include "webserver/challenge_file.hpp"
#include "webserver/http_request_parser.hpp"

#include <fcntl.h>

#include <cstddef>
#include <cstdint>

namespace lacme::web {

struct server_config {
    std::size_t max_head = http_request_parser::default_max_head;
    std::size_t max_challenge_size = default_max_challenge_size;
    // Beyond this, accepting evicts the least recently active idle connection (slowloris).
    std::size_t max_connections = 1024;
    unsigned max_requests_per_connection = 100;
    std::uint64_t header_timeout_ms = 10'000;  // whole request head, also keep-alive idle time
    std::uint64_t write_timeout_ms = 10'000;  // a response the peer does not read
    std::uint64_t linger_timeout_ms = 2'000;  // after our FIN, waiting for the peer's
    std::uint64_t sweep_interval_ms = 500;  // deadline granularity
    int backlog = 511;
    int dir_fd = AT_FDCWD;  // challenge directory
    bool debug = false;  // one log line per request
};

}  // namespace lacme::web
