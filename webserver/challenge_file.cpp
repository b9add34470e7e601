// SPDX-License-Identifier: GPL-3.0-or-later
#include "webserver/challenge_file.hpp"

#include "common/unique_fd.hpp"
#include "webserver/challenge_route.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace lacme::web {

challenge_file read_challenge_file(int dir_fd, std::string_view token, std::size_t max_size)
{
    challenge_file out;
    if (!is_challenge_token(token)) {  // defence in depth: never hand a '/' or ".." to openat
        out.st = challenge_file::status::refused;
        out.reason = "invalid token";
        return out;
    }
    std::array<char, max_token_length + 1> name{};
    std::memcpy(name.data(), token.data(), token.size());

    // O_NONBLOCK: opening a FIFO planted in place of a token must not hang the server.
    const unique_fd fd(::openat(dir_fd, name.data(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
    if (!fd) {
        const int err = errno;
        if (err == ENOENT) {
            out.st = challenge_file::status::not_found;
        } else if (err == ELOOP) {
            out.st = challenge_file::status::refused;
            out.reason = "is a symbolic link";
        } else {
            out.st = challenge_file::status::error;
            out.reason = std::string("open: ") + std::strerror(err);
        }
        return out;
    }
    struct stat sb {};
    if (::fstat(fd.get(), &sb) != 0) {
        out.st = challenge_file::status::error;
        out.reason = std::string("fstat: ") + std::strerror(errno);
        return out;
    }
    if (!S_ISREG(sb.st_mode)) {
        out.st = challenge_file::status::refused;
        out.reason = "not a regular file";
        return out;
    }
    if (sb.st_size < 0 || static_cast<unsigned long long>(sb.st_size) > max_size) {
        out.st = challenge_file::status::refused;
        out.reason = "larger than " + std::to_string(max_size) + " bytes";
        return out;
    }
    // Read what fstat announced; a file still being written is the client's bug, not a reason
    // for an extra read(2) per request.
    out.content.resize(static_cast<std::size_t>(sb.st_size));
    std::size_t got = 0;
    while (got < out.content.size()) {
        const ssize_t n = ::read(fd.get(), out.content.data() + got, out.content.size() - got);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            out.st = challenge_file::status::error;
            out.reason = std::string("read: ") + std::strerror(errno);
            out.content.clear();
            return out;
        }
        if (n == 0)
            break;
        got += static_cast<std::size_t>(n);
    }
    out.content.resize(got);
    out.st = challenge_file::status::found;
    return out;
}

}  // namespace lacme::web
