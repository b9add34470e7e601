// SPDX-License-Identifier: GPL-3.0-or-later
#include "webserver/listen_socket.hpp"

#include "common/close_fds.hpp"
#include "common/dev_null.hpp"
#include "common/error.hpp"
#include "common/fd_argument.hpp"
#include "common/unique_fd.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <string>

namespace lacme::web {

int parse_fd_argument(std::string_view arg)
{
    const int fd = parse_fd(arg, "webserver FD");
    if (fd == STDERR_FILENO)
        throw error("fd 2 is stderr, not a listening socket");
    return fd;
}

socket_kind inspect_listen_socket(int fd)
{
    const std::string name = "fd " + std::to_string(fd);
    if (::fcntl(fd, F_GETFD) < 0)
        throw_errno(name);
    int type = 0;
    socklen_t len = sizeof type;
    if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0) {
        if (errno == ENOTSOCK)
            throw error(name + " is not a socket");
        throw_errno(name + ": getsockopt(SO_TYPE)");
    }
    if (type != SOCK_STREAM)
        throw error(name + " is not a stream socket");
    int listening = 0;
    len = sizeof listening;
    if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0)
        throw_errno(name + ": getsockopt(SO_ACCEPTCONN)");
    if (!listening)
        throw error(name + " is not a listening socket");
    sockaddr_storage addr{};
    len = sizeof addr;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
        throw_errno(name + ": getsockname");
    switch (addr.ss_family) {
    case AF_INET:
    case AF_INET6: return socket_kind::tcp;
    case AF_UNIX: return socket_kind::unix_stream;
    default: throw error(name + " is neither a TCP nor a UNIX socket");
    }
}

void close_other_fds(int keep_fd)
{
    close_fds_except(std::array{keep_fd});

    // stdin and stdout: nothing to read or print; /dev/null keeps 0 and 1 from being reused by
    // accepted connections, which a stray printf would then write into.
    unique_fd devnull = open_dev_null(O_RDWR | O_CLOEXEC);
    for (const int std_fd : {STDIN_FILENO, STDOUT_FILENO}) {
        if (std_fd == keep_fd || std_fd == devnull.get())
            continue;
        if (::dup2(devnull.get(), std_fd) < 0)
            throw_errno("dup2 /dev/null");
    }
    if (devnull.get() <= STDOUT_FILENO)
        (void)devnull.release();  // open(2) reused a closed 0 or 1: it now is stdin/stdout
}

}  // namespace lacme::web
