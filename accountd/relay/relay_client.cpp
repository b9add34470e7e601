// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/relay/relay_client.hpp"

#include "common/error.hpp"
#include "common/fd_io.hpp"
#include "common/unique_fd.hpp"
#include "common/unix_socket_address.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace lacme::accountd {
namespace {

unique_fd connect_to(const std::string& path)
{
    const auto addr = unix_socket_address(path);
    if (!addr)
        throw error("invalid relay socket name " + path);
    unique_fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd)
        throw_errno("socket");
    if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&*addr), sizeof *addr) != 0)
        throw_errno("can't connect to relay socket " + path + " (is the lacme-accountd daemon running?)");
    return fd;
}

// One read from `from`, written in full to `to`; false at end of file.
bool copy_once(int from, int to, std::string_view what)
{
    std::array<char, std::size_t{64} * 1024> buffer{};
    for (;;) {
        const ssize_t n = ::read(from, buffer.data(), buffer.size());
        if (n > 0) {
            write_all(to, std::string_view(buffer.data(), static_cast<std::size_t>(n)), what);
            return true;
        }
        if (n == 0 || errno == ECONNRESET)
            return false;
        if (errno != EINTR)
            throw_errno("read(" + std::string(what) + ")");
    }
}

}  // namespace

int run_relay(const std::string& socket_path, const relay_header& header)
{
    const unique_fd daemon = connect_to(socket_path);
    write_all(daemon.get(), format_relay_header(header), "relay socket");
    bool stdin_open = true;
    for (;;) {
        std::array<pollfd, 2> fds{{{daemon.get(), POLLIN, 0}, {stdin_open ? STDIN_FILENO : -1, POLLIN, 0}}};
        if (::poll(fds.data(), fds.size(), -1) < 0) {
            if (errno == EINTR)
                continue;
            throw_errno("poll");
        }
        if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0 && !copy_once(daemon.get(), STDOUT_FILENO, "stdout"))
            return 0;  // the daemon is done with this session
        if (stdin_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0 &&
            !copy_once(STDIN_FILENO, daemon.get(), "relay socket")) {
            stdin_open = false;  // the caller is done: let the daemon finish its answers
            ::shutdown(daemon.get(), SHUT_WR);
        }
    }
}

}  // namespace lacme::accountd
