// SPDX-License-Identifier: GPL-3.0-or-later
// Calls back on the loop when a descriptor libuv does not own (a listening socket, a pidfd) is
// ready: a uv_poll_t initialised (checked) on construction and closed on destruction.
#pragma once

#include "common/uv/handle.hpp"

#include <uv.h>

#include <functional>

namespace lacme::uv {

class poll_watcher {
public:
    // status: 0, or a negative libuv error for the descriptor; events: UV_READABLE...
    using callback = std::function<void(int status, int events)>;

    // fd stays the caller's, and must stay open while the watcher is started. Stopped until
    // start(). Throws lacme::error. on_ready may stop, restart or destroy the watcher.
    poll_watcher(uv_loop_t* loop, int fd, callback on_ready);
    poll_watcher(const poll_watcher&) = delete;
    poll_watcher& operator=(const poll_watcher&) = delete;
    ~poll_watcher() = default;

    // Watches for events (UV_READABLE, UV_WRITABLE...); throws lacme::error.
    void start(int events);
    // Idempotent.
    void stop() noexcept;

private:
    callback on_ready_;
    handle_ptr<uv_poll_t> handle_;
};

}  // namespace lacme::uv
