// SPDX-License-Identifier: GPL-3.0-or-later
// The daemon-wide cap on open connections, shared by every worker thread. Only the acceptor
// takes slots; any worker gives one back when its connection closes, and wakes the acceptor if
// it asked to be told.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <mutex>

namespace lacme::accountd {

class connection_slots {
public:
    explicit connection_slots(std::size_t capacity) : capacity_(capacity) {}

    [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
    // Acceptor thread only: others only give back, so a slot seen free stays free.
    [[nodiscard]] bool full() const noexcept { return taken_.load() >= capacity_; }
    void take() noexcept { ++taken_; }

    // Any thread.
    void give_back();
    // wake runs once, on the thread of the next give_back(), unless cancelled first.
    void wake_on_next_give_back(std::function<void()> wake);
    void cancel_wake();

private:
    const std::size_t capacity_;
    std::atomic<std::size_t> taken_{0};
    std::mutex mutex_;  // guards wake_ against a concurrent cancel_wake()
    std::function<void()> wake_;
};

}  // namespace lacme::accountd
