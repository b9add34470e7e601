// SPDX-License-Identifier: GPL-3.0-or-later
// An owned libuv event loop. Declare it before the handles on it: they close first, and the
// loop's destructor runs their close callbacks before closing the loop itself.
#pragma once

#include <uv.h>

#include <cstdint>

namespace lacme::uv {

class loop {
public:
    loop();  // throws lacme::error
    loop(const loop&) = delete;
    loop& operator=(const loop&) = delete;
    ~loop();

    [[nodiscard]] uv_loop_t* get() noexcept { return &loop_; }
    // Runs until no active handle is left or stop() was called.
    void run() noexcept;
    // One non-blocking round: what is ready now, then the close callbacks due.
    void run_nowait() noexcept;
    // Makes run() return after the current round; handles stay open.
    void stop() noexcept;
    // The loop's cached time in milliseconds, updated at the start of each round.
    [[nodiscard]] std::uint64_t now() const noexcept { return uv_now(&loop_); }

private:
    uv_loop_t loop_{};
};

}  // namespace lacme::uv
