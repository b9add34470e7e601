// SPDX-License-Identifier: GPL-3.0-or-later
// Pairs of connected descriptors, each end owned (unique_fd) and close-on-exec, so a child
// gets only the end it is explicitly handed.
#pragma once

#include "common/unique_fd.hpp"

namespace lacme {

struct pipe_ends {
    unique_fd read;
    unique_fd write;
};

// pipe2(O_CLOEXEC); throws lacme::error on failure.
pipe_ends make_pipe();

// A connected AF_UNIX stream pair (SOCK_CLOEXEC); throws lacme::error on failure.
struct socket_pair {
    unique_fd ours;
    unique_fd theirs;
};
socket_pair make_socket_pair();

}  // namespace lacme
