// SPDX-License-Identifier: GPL-3.0-or-later
// Reads one challenge response from the current directory. Only regular files named by a
// validated token are read, never through a symlink, never blocking on a FIFO, size-capped.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace lacme::web {

struct challenge_file {
    enum class status {
        found,  // content holds the bytes
        not_found,  // no such file: the normal answer for a stranger's token
        refused,  // exists but is a symlink, not a regular file, or too large
        error,  // any other failure (e.g. EACCES); reason says what
    };
    status st = status::not_found;
    std::string content;
    std::string reason;  // for refused and error, a short explanation for the log
};

inline constexpr std::size_t default_max_challenge_size = std::size_t{64} * 1024;

// token must satisfy is_challenge_token(); dir_fd is the directory to look in (AT_FDCWD = cwd).
[[nodiscard]] challenge_file read_challenge_file(int dir_fd, std::string_view token,
                                                 std::size_t max_size = default_max_challenge_size);

}  // namespace lacme::web
