// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/unix_socket_connect.hpp"

#include "common/error.hpp"
#include "common/unix_socket_address.hpp"

#include <sys/socket.h>

#include <cerrno>

namespace lacme {

unique_fd connect_unix(const std::string& path, std::string_view failure)
{
    const auto address = unix_socket_address(path);
    if (!address)
        throw error(path.empty() ? std::string("empty socket path") : "socket path too long: " + path);
    unique_fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd)
        throw_errno("socket");
    // Retrying is right for AF_UNIX on Linux: a connect that a signal interrupts (waiting for
    // room in a full backlog) has left the socket unconnected, with nothing in progress
    // (net/unix/af_unix.c, unix_stream_connect); TCP's EINTR-then-EALREADY does not apply.
    while (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&*address), sizeof *address) != 0) {
        if (errno != EINTR)
            throw_errno(failure.empty() ? "connect(" + path + ")" : std::string(failure));
    }
    return fd;
}

}  // namespace lacme
