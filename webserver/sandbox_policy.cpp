// SPDX-License-Identifier: GPL-3.0-or-later
#include "webserver/sandbox_policy.hpp"

#include <fcntl.h>
#include <sys/ioctl.h>

namespace lacme::web {

namespace {

using sandbox::arg_condition;
using sandbox::fs_access;
using sandbox::path_rule;
using sandbox::syscall_rule;
using sandbox::verdict;

constexpr arg_condition read_only_open{2, O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND, O_RDONLY,
                                       "with O_RDONLY and neither O_CREAT, O_TRUNC nor O_APPEND"};

// Everything after set-up: the listening socket, the epoll loop and the signal pipe exist, the
// other fds are closed. No socket(), connect(), bind(), listen(), execve(), no open for writing.
// On top of the base (common/sandbox_base.cpp): read and write are requests, responses,
// challenge files and the signal pipe.
constexpr syscall_rule syscalls[] = {
    {"accept4", verdict::allow, false, {}, "new HTTP connections on the listening socket"},
    {"accept", verdict::allow, false, {}, "new HTTP connections (older libuv)"},
    {"readv", verdict::allow, false, {}, "requests"},
    {"recvfrom", verdict::allow, false, {}, "requests"},
    {"writev", verdict::allow, false, {}, "responses"},
    {"sendto", verdict::allow, false, {}, "responses"},
    {"shutdown", verdict::allow, false, {}, "ending a connection"},
    {"openat", verdict::allow, true, read_only_open, "challenge files (Landlock: below the challenge directory)"},
    {"fstat", verdict::allow, false, {}, "a challenge file's type and size"},
    {"lseek", verdict::allow, false, {}, "libc reading the time zone file"},
    {"newfstatat", verdict::allow, false, {}, "a challenge file's type and size (glibc's fstat)"},
    {"statx", verdict::allow, false, {}, "a challenge file's type and size"},
    {"ioctl",
     verdict::allow,
     true,
     {1, 0xffffffff, FIONBIO, "with FIONBIO"},
     "libuv makes accepted sockets non-blocking"},
    {"fcntl", verdict::allow, false, {}, "descriptor flags of accepted sockets"},
    {"setsockopt", verdict::allow, false, {}, "TCP options of accepted sockets"},
    {"getsockopt", verdict::allow, false, {}, "socket errors"},
    {"getpeername", verdict::allow, false, {}, "the peer's address in debug lines"},
    {"getsockname", verdict::allow, false, {}, "socket addresses"},
    {"epoll_wait", verdict::allow, false, {}, "the event loop"},
    {"epoll_pwait", verdict::allow, false, {}, "the event loop"},
    {"epoll_ctl", verdict::allow, false, {}, "the event loop"},
};

constexpr path_rule paths[] = {
    {".", fs_access::read, "the challenge directory (the working directory)"},
    {"/etc/localtime", fs_access::read, "the time zone of log lines"},
};

constexpr sandbox::policy webserver_policy{"webserver", syscalls, paths, ""};

}  // namespace

const sandbox::policy& sandbox_policy() noexcept
{
    return webserver_policy;
}

}  // namespace lacme::web
