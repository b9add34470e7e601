// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/fd_io.hpp"

#include "common/error.hpp"
#include "common/unique_fd.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace lacme {
namespace {

// explicit_bzero rather than OPENSSL_cleanse: this file is in the library without OpenSSL.
void wipe(std::string& data) noexcept
{
    ::explicit_bzero(data.data(), data.size());
    data.clear();
}

}  // namespace

namespace {

// The one write loop: send(MSG_NOSIGNAL) on sockets, so a vanished peer is an error here rather
// than SIGPIPE. False when the peer has closed the connection and that is allowed.
bool write_everything(int fd, std::string_view bytes, std::string_view what, bool closed_peer_allowed)
{
    bool socket = true;
    while (!bytes.empty()) {
        ssize_t n = -1;
        if (socket) {
            n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (n < 0 && errno == ENOTSOCK) {
                socket = false;
                continue;
            }
        } else {
            n = ::write(fd, bytes.data(), bytes.size());
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && closed_peer_allowed && (errno == EPIPE || errno == ECONNRESET))
            return false;
        if (n < 0)
            throw_errno("can't write " + std::string(what));
        if (n == 0)  // only for a zero-length write, which the loop never asks for; never spin
            throw error("can't write " + std::string(what) + ": no progress");
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

}  // namespace

void write_all(int fd, std::string_view bytes, std::string_view what)
{
    write_everything(fd, bytes, what, false);
}

bool write_all_unless_closed(int fd, std::string_view bytes, std::string_view what)
{
    return write_everything(fd, bytes, what, true);
}

void write_all(int fd, std::span<const std::byte> bytes, std::string_view what)
{
    write_all(fd, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), what);
}

std::optional<line_buffer::line> read_line(int fd, line_buffer& lines, std::string_view failure)
{
    for (;;) {
        if (auto line = lines.next())
            return line;
        if (lines.overflowed())
            return std::nullopt;
        char chunk[8192];
        const ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            throw_errno(std::string(failure));
        if (n == 0)
            return std::nullopt;
        lines.append(std::string_view(chunk, static_cast<std::size_t>(n)));
    }
}

std::string read_to_end(int fd, std::size_t cap, std::string_view what, bool secret)
{
    std::string data;
    if (secret)
        data.reserve(cap);
    char chunk[8192];
    for (;;) {
        const ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            wipe(data);
            throw_errno("can't read " + std::string(what));
        }
        if (n == 0)
            break;
        if (data.size() + static_cast<std::size_t>(n) > cap) {
            wipe(data);
            ::explicit_bzero(chunk, sizeof chunk);
            throw error(std::string(what) + " is larger than " + std::to_string(cap) + " bytes");
        }
        data.append(chunk, static_cast<std::size_t>(n));
    }
    if (secret)
        ::explicit_bzero(chunk, sizeof chunk);
    return data;
}

std::string read_file(const std::string& path, std::size_t cap, bool secret)
{
    const unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
    if (!fd)
        throw_errno("can't open " + path);
    return read_to_end(fd.get(), cap, path, secret);
}

std::optional<std::string> read_file_if_present(const std::string& path, std::size_t cap, bool secret)
{
    const unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY));
    if (!fd) {
        if (errno == ENOENT)
            return std::nullopt;
        throw_errno("can't open " + path);
    }
    return read_to_end(fd.get(), cap, path, secret);
}

}  // namespace lacme
