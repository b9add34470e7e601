// SPDX-License-Identifier: GPL-3.0-or-later
// A UNIX socket's address from its path, the one way every component builds one.
#pragma once

#include <sys/socket.h>
#include <sys/un.h>

#include <cstring>
#include <optional>
#include <string_view>

namespace lacme {

// nullopt when the path is empty or does not fit sun_path with its NUL (callers name the socket
// in their own error).
[[nodiscard]] inline std::optional<sockaddr_un> unix_socket_address(std::string_view path) noexcept
{
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.empty() || path.size() >= sizeof addr.sun_path)
        return std::nullopt;
    std::memcpy(addr.sun_path, path.data(), path.size());
    return addr;
}

}  // namespace lacme
