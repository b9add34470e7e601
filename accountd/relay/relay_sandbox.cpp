// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/relay/relay_sandbox.hpp"

namespace lacme::accountd {

namespace {

using sandbox::path_rule;
using sandbox::syscall_rule;
using sandbox::verdict;

// After the connect: the relay socket, stdin and stdout are open, the header is about to be
// sent. On top of the base (common/sandbox_base.cpp): read and write are the SSH session's stdin
// and stdout and the relay socket. No socket, connect, open or exec; no file at all.
constexpr syscall_rule syscalls[] = {
    {"sendto", verdict::allow, false, {}, "the relay socket (and stdout when sshd made it a socket)"},
    {"poll", verdict::allow, false, {}, "waiting for stdin or the daemon"},
    {"ppoll", verdict::allow, false, {}, "waiting for stdin or the daemon"},
    {"shutdown", verdict::allow, false, {}, "telling the daemon the SSH caller is done"},
    {"munlock", verdict::allow, false, {}, "freeing the settings' secret fields (kept out of swap) at exit"},
};

constexpr std::span<const path_rule> no_paths{};

constexpr sandbox::policy relay_policy{"lacme-accountd --relay", syscalls, no_paths, ""};

}  // namespace

const sandbox::policy& relay_sandbox_policy() noexcept
{
    return relay_policy;
}

}  // namespace lacme::accountd
