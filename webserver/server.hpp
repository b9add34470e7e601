// SPDX-License-Identifier: GPL-3.0-or-later
// The challenge server: owns the listening handle and every connection, enforces the global
// limits (connection cap with eviction of the least recently active idle connection, deadlines
// checked by one periodic sweep instead of a timer per connection).
//
// Lifetime: construct, start(), run the loop; stop() closes every handle, after which the loop
// returns and the server may be destroyed.
#pragma once

#include "common/log.hpp"
#include "common/uv/handle.hpp"
#include "common/uv/timer.hpp"
#include "webserver/connection.hpp"
#include "webserver/listen_socket.hpp"
#include "webserver/server_config.hpp"

#include <uv.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <list>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace lacme::web {

class server final : private connection_owner {
public:
    // Takes ownership of listen_fd (a listening socket of the given kind). Throws lacme::error.
    server(uv_loop_t* loop, int listen_fd, socket_kind kind, const server_config& cfg);
    server(const server&) = delete;
    server& operator=(const server&) = delete;
    ~server();

    void start();
    void stop();

    [[nodiscard]] const server_config& config() const noexcept { return cfg_; }
    [[nodiscard]] uv_loop_t* loop() const noexcept { return loop_; }
    [[nodiscard]] bool stopping() const noexcept { return stopping_; }
    [[nodiscard]] std::uint64_t now() const noexcept { return uv_now(loop_); }

    // Shared by all connections: libuv reads synchronously into it and the parser copies only
    // incomplete heads, so idle connections cost no buffer.
    [[nodiscard]] std::span<char> read_buffer() noexcept { return read_buffer_; }
    // Cached IMF-fixdate for the Date header, recomputed once per second.
    [[nodiscard]] std::string_view http_date();

    // Debug lines (one per request) when cfg.debug. Problems a peer can make happen again and
    // again (accept failures, a bad file behind a token) go through log_limited: at most one
    // line a second of each kind, with a count of the lines held back.
    [[nodiscard]] logger& log() noexcept { return log_; }

private:
    void accept_connection();
    bool evict_idle();
    void sweep();

    // connection_owner: only connections move themselves between the lists.
    void touch(connection_position c) override;
    void retire(connection_position c) override;
    void release(connection_position c) override;

    uv_loop_t* loop_;
    socket_kind kind_;
    server_config cfg_;
    uv::handle_ptr<uv_stream_t> listener_;  // a uv_tcp_t or a uv_pipe_t, as kind_ says
    std::optional<uv::timer> sweep_;
    logger log_;
    bool stopping_ = false;
    std::list<connection> active_;  // least recently active first
    std::list<connection> closing_;  // waiting for libuv to close their handles
    std::array<char, 16384> read_buffer_{};
    std::time_t date_second_ = -1;
    std::array<char, 32> date_{};
    std::size_t date_len_ = 0;
};

}  // namespace lacme::web
