// SPDX-License-Identifier: GPL-3.0-or-later
// The start of a connection on the daemon's relay socket, on its event loop: reads the relay
// header line (relay_header.hpp) without blocking, within max_relay_header bytes and a
// deadline, then says which listener it names. The caller checked the peer's uid before.
#pragma once

#include "accountd/relay/relay_header.hpp"
#include "common/unique_fd.hpp"
#include "common/uv/poll_watcher.hpp"
#include "common/uv/timer.hpp"

#include <uv.h>

#include <chrono>
#include <functional>
#include <string>

namespace lacme::accountd {

class relay_handshake {
public:
    // Called once, on the loop; it may not destroy the handshake (retire it for later).
    using done_callback = std::function<void(relay_handshake&)>;

    // fd: the accepted, non-blocking connection.
    relay_handshake(uv_loop_t* loop, unique_fd fd, std::chrono::milliseconds deadline, done_callback done);
    relay_handshake(const relay_handshake&) = delete;
    relay_handshake& operator=(const relay_handshake&) = delete;
    ~relay_handshake() = default;

    // Once done: the header, or why there is none.
    [[nodiscard]] const relay_header_result& result() const noexcept { return result_; }
    // Once done: the connection (a duplicate: the poll handle's descriptor must stay as it is until
    // the handle closes, or libuv would unregister the new owner's), and what the peer sent
    // after the header. Throws lacme::error.
    [[nodiscard]] unique_fd take_fd() const;
    [[nodiscard]] std::string take_rest() noexcept { return std::move(rest_); }

private:
    void on_readable();
    void finish(relay_header_result result);

    unique_fd fd_;
    std::string received_;
    std::string rest_;
    relay_header_result result_;
    bool finished_ = false;
    done_callback done_;
    uv::poll_watcher readable_;
    uv::timer deadline_;
};

}  // namespace lacme::accountd
