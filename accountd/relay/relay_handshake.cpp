// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/relay/relay_handshake.hpp"

#include "common/error.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <uv.h>

#include <algorithm>

#include <cerrno>
#include <cstring>

namespace lacme::accountd {

relay_handshake::relay_handshake(uv_loop_t* loop, unique_fd fd, std::chrono::milliseconds deadline, done_callback done)
    : fd_(std::move(fd)), done_(std::move(done)),
      readable_(loop, fd_.get(),
                [this](int status, int) {
                    if (status != 0)
                        finish({std::nullopt, std::string("relay socket: ") + uv_strerror(status)});
                    else
                        on_readable();
                }),
      deadline_(loop, [this] {
          finish({std::nullopt, "no relay header in time"});
      })
{
    readable_.start(UV_READABLE);
    deadline_.start(deadline);
}

void relay_handshake::on_readable()
{
    char buffer[4096];
    while (!finished_) {
        const std::size_t room = std::min(sizeof buffer, max_relay_header - received_.size());
        const ssize_t n = ::recv(fd_.get(), buffer, room, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                finish({std::nullopt, std::string("relay socket: ") + std::strerror(errno)});
            return;
        }
        if (n == 0) {
            finish({std::nullopt, "connection closed before the relay header"});
            return;
        }
        const std::size_t searched = received_.size();
        received_.append(buffer, static_cast<std::size_t>(n));
        const auto newline = received_.find('\n', searched);
        if (newline != std::string::npos) {
            rest_ = received_.substr(newline + 1);
            finish(parse_relay_header(std::string_view(received_).substr(0, newline)));
        } else if (received_.size() >= max_relay_header) {
            finish({std::nullopt, "relay header too long"});
        }
    }
}

unique_fd relay_handshake::take_fd() const
{
    unique_fd copy(::fcntl(fd_.get(), F_DUPFD_CLOEXEC, 0));
    if (!copy)
        throw_errno("dup(relay connection)");
    return copy;
}

void relay_handshake::finish(relay_header_result result)
{
    if (finished_)
        return;
    finished_ = true;
    readable_.stop();
    deadline_.stop();
    result_ = std::move(result);
    done_(*this);
}

}  // namespace lacme::accountd
