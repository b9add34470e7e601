// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/interrupt_signals.hpp"

#include "common/error.hpp"

#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>

namespace lacme::master {

interrupt_signals::interrupt_signals()
{
    sigset_t set;
    sigemptyset(&set);
    for (const int signo : {SIGINT, SIGTERM, SIGHUP})
        sigaddset(&set, signo);
    if (::sigprocmask(SIG_BLOCK, &set, &previous_) != 0)
        throw_errno("sigprocmask");
    fd_ = unique_fd(::signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC));
    if (!fd_.valid()) {
        const int saved = errno;
        ::sigprocmask(SIG_SETMASK, &previous_, nullptr);
        errno = saved;
        throw_errno("signalfd");
    }
}

interrupt_signals::~interrupt_signals()
{
    ::sigprocmask(SIG_SETMASK, &previous_, nullptr);
}

int interrupt_signals::take() noexcept
{
    signalfd_siginfo info{};
    ssize_t n;
    do
        n = ::read(fd_.get(), &info, sizeof info);
    while (n < 0 && errno == EINTR);
    return n == static_cast<ssize_t>(sizeof info) ? static_cast<int>(info.ssi_signo) : 0;
}

}  // namespace lacme::master
