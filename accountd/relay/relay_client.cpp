// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/relay/relay_client.hpp"

#include "common/accountd_protocol.hpp"
#include "common/error.hpp"
#include "common/fd_io.hpp"
#include "common/text.hpp"
#include "common/unique_fd.hpp"
#include "common/unix_socket_connect.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>

namespace lacme::accountd {
namespace {

// One read from `from`, written in full to `to`; false at end of file.
bool copy_once(int from, int to, std::string_view what)
{
    std::array<char, std::size_t{64} * 1024> buffer{};
    for (;;) {
        const ssize_t n = ::read(from, buffer.data(), buffer.size());
        if (n > 0) {
            write_all(to, std::string_view(buffer.data(), static_cast<std::size_t>(n)), what);
            return true;
        }
        if (n == 0 || errno == ECONNRESET)
            return false;
        if (errno != EINTR)
            throw_errno("read(" + std::string(what) + ")");
    }
}

// What the daemon sends first, up to and including its first line end (or until it closes
// the connection): the greeting's first line, or the refusal of this relay. Bounded in size as
// every accountd line is; the daemon answers a header at once, so a read blocks only briefly.
std::string read_first_line(int daemon)
{
    std::string received;
    std::array<char, 4096> buffer{};
    while (received.find('\n') == std::string::npos) {
        if (received.size() > accountd_max_line)
            throw error("the lacme-accountd daemon's first line is too long");
        const ssize_t n = ::read(daemon, buffer.data(), buffer.size());
        if (n > 0)
            received.append(buffer.data(), static_cast<std::size_t>(n));
        else if (n == 0 || errno == ECONNRESET)
            break;
        else if (errno != EINTR)
            throw_errno("read(relay socket)");
    }
    return received;
}

// A refused relay ends here, in error: its NOSIGN line has gone to the web host (whose client
// reports it), the exit status and one line on stderr tell sshd's log and whoever ran it.
void require_greeting(std::string_view first, const std::string& socket_path)
{
    const auto end = first.find('\n');
    if (end == std::string_view::npos)
        throw error("relay refused by the daemon on " + socket_path + ": closed without a greeting (its log says why)");
    std::string_view line = first.substr(0, end);
    if (line.ends_with('\r'))
        line.remove_suffix(1);
    if (line.starts_with(accountd_refusal_prefix))
        throw error("relay refused by the daemon on " + socket_path + ": " +
                    printable_for_log(line.substr(accountd_refusal_prefix.size())));
}

}  // namespace

int run_relay(const std::string& socket_path, const relay_header& header, const std::function<void()>& connected)
{
    const unique_fd daemon = connect_unix(socket_path, "can't connect to relay socket " + socket_path +
                                                           " (is the lacme-accountd daemon running?)");
    connected();
    // A daemon that closed the connection at once (a peer it refuses unread) is no error here:
    // the missing greeting tells.
    write_all_unless_closed(daemon.get(), format_relay_header(header), "relay socket");
    const std::string first = read_first_line(daemon.get());
    write_all(STDOUT_FILENO, first, "stdout");
    require_greeting(first, socket_path);
    bool stdin_open = true;
    for (;;) {
        std::array<pollfd, 2> fds{{{daemon.get(), POLLIN, 0}, {stdin_open ? STDIN_FILENO : -1, POLLIN, 0}}};
        if (::poll(fds.data(), fds.size(), -1) < 0) {
            if (errno == EINTR)
                continue;
            throw_errno("poll");
        }
        if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0 && !copy_once(daemon.get(), STDOUT_FILENO, "stdout"))
            return 0;  // the daemon is done with this session
        if (stdin_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0 &&
            !copy_once(STDIN_FILENO, daemon.get(), "relay socket")) {
            stdin_open = false;  // the caller is done: let the daemon finish its answers
            ::shutdown(daemon.get(), SHUT_WR);
        }
    }
}

}  // namespace lacme::accountd
