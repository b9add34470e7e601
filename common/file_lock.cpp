// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/file_lock.hpp"

#include "common/error.hpp"

#include <sys/file.h>

#include <cerrno>
#include <thread>

namespace lacme {

bool lock_exclusively_within(int fd, const std::string& what, std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK && errno != EINTR)
            throw_errno("can't lock " + what);
        if (std::chrono::steady_clock::now() > deadline)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

}  // namespace lacme
