// SPDX-License-Identifier: GPL-3.0-or-later
// One DNS message exchange over TCP (RFC 1035 §4.2.2: each message after its 2-byte length) on
// the master's loop: connect, send, read one response of at most 65535 bytes, all within
// dns_exchange_timeout. TCP, not UDP: an update with its TSIG may not fit a datagram, and nothing
// is retransmitted by guesswork.
#pragma once

#include "common/unique_fd.hpp"
#include "common/uv/poll_watcher.hpp"
#include "common/uv/stream.hpp"
#include "common/uv/timer.hpp"
#include "master/certificate_config.hpp"

#include <uv.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace lacme::master {

inline constexpr std::chrono::seconds dns_exchange_timeout{15};

class dns_tcp_exchange {
public:
    // failure: one line ("connect: Connection refused", "no response within 15 s"...); else the
    // response, without its length prefix.
    using done_fn = std::function<void(std::optional<std::string> failure, std::vector<std::uint8_t> response)>;

    // done is called from the loop, once, never from the constructor; the object may be destroyed
    // by it, or before it (no call then). Throws lacme::error (no socket).
    dns_tcp_exchange(uv_loop_t* loop, const dns_server& server, const std::string& message, done_fn done);
    dns_tcp_exchange(const dns_tcp_exchange&) = delete;
    dns_tcp_exchange& operator=(const dns_tcp_exchange&) = delete;
    ~dns_tcp_exchange() = default;

    // Whether the connection was made: before that, nothing reached the server.
    [[nodiscard]] bool connected() const noexcept { return connected_; }

private:
    void on_connected();
    void on_bytes(std::string_view bytes);
    void finish(std::optional<std::string> failure);

    uv_loop_t* loop_;
    std::string request_;  // with its length prefix
    unique_fd connecting_;
    std::optional<uv::poll_watcher> connect_watch_;
    std::optional<uv::stream> stream_;
    std::vector<std::uint8_t> received_;
    uv::timer deadline_;
    uv::timer later_;  // reports an immediate failure from the loop
    std::optional<std::string> pending_failure_;
    bool connected_ = false;
    done_fn done_;
};

}  // namespace lacme::master
