// SPDX-License-Identifier: GPL-3.0-or-later
// Test helper: redirects the process's stderr into a temporary file for the object's lifetime,
// so tests can assert on what was logged (and keep the test output clean).
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>
#include <string>

namespace lacme::test {

class stderr_capture {
public:
    stderr_capture() : file_(std::tmpfile()), saved_(::dup(STDERR_FILENO))
    {
        if (file_ == nullptr || saved_ < 0)
            throw std::runtime_error("can't capture stderr");
        std::fflush(stderr);
        ::dup2(::fileno(file_), STDERR_FILENO);
    }
    stderr_capture(const stderr_capture&) = delete;
    stderr_capture& operator=(const stderr_capture&) = delete;
    ~stderr_capture()
    {
        std::fflush(stderr);
        ::dup2(saved_, STDERR_FILENO);
        ::close(saved_);
        std::fclose(file_);
    }

    // Everything written to stderr so far.
    [[nodiscard]] std::string text() const
    {
        std::fflush(stderr);
        std::string out;
        char buf[4096];
        for (off_t offset = 0;;) {
            const ssize_t n = ::pread(::fileno(file_), buf, sizeof buf, offset);
            if (n <= 0)
                break;
            out.append(buf, static_cast<std::size_t>(n));
            offset += n;
        }
        return out;
    }

private:
    std::FILE* file_;
    int saved_;
};

}  // namespace lacme::test
