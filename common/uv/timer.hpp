// SPDX-License-Identifier: GPL-3.0-or-later
// A libuv timer owned by one object and calling back a std::function: the handle is initialised
// (checked) on construction and closed on destruction, so no owner writes `data = this` and a
// captureless trampoline by hand.
#pragma once

#include "common/uv/handle.hpp"

#include <uv.h>

#include <chrono>
#include <functional>

namespace lacme::uv {

class timer {
public:
    using callback = std::function<void()>;

    // Stopped until start(). Throws lacme::error. on_expiry may stop, restart or destroy the timer.
    timer(uv_loop_t* loop, callback on_expiry);
    timer(const timer&) = delete;
    timer& operator=(const timer&) = delete;
    ~timer() = default;

    // Calls back after delay, then every `repeat` unless it is zero; restarts a started timer.
    void start(std::chrono::milliseconds delay, std::chrono::milliseconds repeat = {});
    // Idempotent.
    void stop() noexcept;
    [[nodiscard]] bool active() const noexcept;
    // Runs without keeping the loop alive: the loop runs dry when the rest of its work is done.
    void unref() noexcept;

private:
    callback on_expiry_;
    handle_ptr<uv_timer_t> handle_;
};

}  // namespace lacme::uv
