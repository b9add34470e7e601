// SPDX-License-Identifier: GPL-3.0-or-later
// Startup checks and fd hygiene for the socket the master hands over (lacme 0.8: `webserver FD`).
#pragma once

#include <string_view>

namespace lacme::web {

enum class socket_kind { tcp, unix_stream };

// The FD argument (common/fd_argument.hpp), and not stderr. Throws error otherwise.
[[nodiscard]] int parse_fd_argument(std::string_view arg);

// fd must be an open, listening SOCK_STREAM socket of family AF_INET, AF_INET6 or AF_UNIX;
// throws error saying which of these it is not.
[[nodiscard]] socket_kind inspect_listen_socket(int fd);

// Closes every fd except keep_fd and stderr, and points stdin/stdout at /dev/null, so nothing
// the master (or its parent) leaked stays reachable. Throws error on failure.
void close_other_fds(int keep_fd);

}  // namespace lacme::web
