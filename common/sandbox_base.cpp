// SPDX-License-Identifier: GPL-3.0-or-later
// The system calls every confined lacme process makes whatever its role: memory, locks, time,
// signals (its own SIGSYS report and abort() included), exit, and reading, writing and closing
// the descriptors it already holds. Each role's table (webserver/, client/, accountd/ and the
// relay's sandbox_policy.cpp) names only what it adds; sandbox::enter() installs both and
// render_man_table() prints both.
#include "common/sandbox.hpp"

#include <signal.h>
#include <sys/mman.h>

namespace lacme::sandbox {

namespace {

constexpr arg_condition not_executable{2, PROT_EXEC, 0, "without PROT_EXEC"};

constexpr syscall_rule base_rules[] = {
    {"read", verdict::allow, false, {}, "the descriptors it holds (which ones: its own rules below)"},
    {"write", verdict::allow, false, {}, "the descriptors it holds; log lines on stderr"},
    {"close", verdict::allow, false, {}, "descriptors"},
    {"clock_gettime", verdict::allow, false, {}, "timers, deadlines, log time stamps"},
    {"gettimeofday", verdict::allow, false, {}, "timers"},
    {"rt_sigaction", verdict::allow, false, {}, "signal handling"},
    {"rt_sigprocmask", verdict::allow, false, {}, "signal masks"},
    {"rt_sigreturn", verdict::allow, false, {}, "return from a signal handler"},
    {"getpid", verdict::allow, false, {}, "signal handling; OpenSSL"},
    {"gettid", verdict::allow, false, {}, "the sandbox's own SIGSYS report"},
    {"tgkill", verdict::allow, true, {2, 0xffffffff, SIGSYS, "with SIGSYS"}, "death after a forbidden call"},
    {"tgkill", verdict::allow, true, {2, 0xffffffff, SIGABRT, "with SIGABRT"}, "abort()"},
    {"brk", verdict::allow, false, {}, "memory"},
    {"mmap", verdict::allow, true, not_executable, "memory"},
    {"mprotect", verdict::allow, true, not_executable, "memory, thread stack guards"},
    {"munmap", verdict::allow, false, {}, "memory"},
    {"mremap", verdict::allow, false, {}, "memory"},
    {"madvise", verdict::allow, false, {}, "memory, an ended thread's stack"},
    {"futex", verdict::allow, false, {}, "locks"},
    {"getrandom", verdict::allow, false, {}, "libc's hash seeds, OpenSSL's random numbers"},
    {"exit", verdict::allow, false, {}, "the end of a thread"},
    {"exit_group", verdict::allow, false, {}, "exit"},
};

}  // namespace

std::span<const syscall_rule> base_syscalls() noexcept
{
    return base_rules;
}

std::vector<syscall_rule> syscalls_in_force(const policy& p)
{
    std::vector<syscall_rule> rules(base_rules, base_rules + std::size(base_rules));
    rules.insert(rules.end(), p.syscalls.begin(), p.syscalls.end());
    return rules;
}

}  // namespace lacme::sandbox
