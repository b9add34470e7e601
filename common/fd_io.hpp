// SPDX-License-Identifier: GPL-3.0-or-later
// Whole-buffer I/O on file descriptors: writing everything despite short writes and EINTR, and
// reading to EOF with a size cap, so no input can make us buffer without bound.
#pragma once

#include "common/line_buffer.hpp"

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace lacme {

// Writes all of bytes to fd, retrying short writes and EINTR. Throws lacme::error
// ("can't write WHAT: ...") on failure; `what` names the destination for that message. A socket
// whose peer has gone is that error (EPIPE), never SIGPIPE.
void write_all(int fd, std::string_view bytes, std::string_view what = "file");
void write_all(int fd, std::span<const std::byte> bytes, std::string_view what = "file");
// write_all to a socket whose peer may have closed the connection on purpose: that (EPIPE,
// ECONNRESET) returns false, what was not sent is dropped; any other failure throws as write_all.
bool write_all_unless_closed(int fd, std::string_view bytes, std::string_view what);

// Reads fd (blocking) until `lines` holds a whole line, and returns it; nullopt at the end of
// input (`lines` may keep a partial line: lines.empty() says) or once the partial line is over
// the cap (lines.overflowed()). A read error throws lacme::error "FAILURE: strerror(errno)".
std::optional<line_buffer::line> read_line(int fd, line_buffer& lines, std::string_view failure);

// Reads fd to EOF. More than cap bytes is a lacme::error naming `what`. With secret set the
// buffer is allocated once (cap bytes) and wiped on error, so no stray partial copy of the
// contents stays on the heap; wipe the result after use (secret_string).
std::string read_to_end(int fd, std::size_t cap, std::string_view what, bool secret = false);

// read_to_end of the file at path (a configured path: symlinks followed). Failing to open it is
// a lacme::error "can't open PATH: ...".
std::string read_file(const std::string& path, std::size_t cap, bool secret = false);

// read_to_end of the file at path, opened without following a final symlink; nullopt when it does
// not exist (state files that only some runs leave behind). Any other failure is a lacme::error.
std::optional<std::string> read_file_if_present(const std::string& path, std::size_t cap, bool secret = false);

}  // namespace lacme
