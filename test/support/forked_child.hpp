// SPDX-License-Identifier: GPL-3.0-or-later
// Test helper: runs a check in a forked child, for tests that change process-wide state
// (credentials, fds) that the test runner itself must keep.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <exception>
#include <functional>
#include <stdexcept>

namespace lacme::test {

// The check's return value as the child's exit status (0: every expectation held; else a
// number naming the first that failed); 255 if it threw. Boost.Test is not used in the child.
inline int exit_status_in_child(const std::function<int()>& check)
{
    const pid_t pid = ::fork();
    if (pid < 0)
        throw std::runtime_error("fork failed");
    if (pid == 0) {
        int status = 255;
        try {
            status = check();
        } catch (const std::exception&) {
        }
        ::_exit(status);
    }
    int status = 0;
    if (::waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        throw std::runtime_error("the forked check did not exit normally");
    return WEXITSTATUS(status);
}

}  // namespace lacme::test
