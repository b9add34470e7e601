// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/fd_pair.hpp"

#include "common/error.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace lacme {

pipe_ends make_pipe()
{
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        throw_errno("pipe");
    return {unique_fd(fds[0]), unique_fd(fds[1])};
}

socket_pair make_socket_pair()
{
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
        throw_errno("socketpair");
    return {unique_fd(fds[0]), unique_fd(fds[1])};
}

}  // namespace lacme
