// SPDX-License-Identifier: GPL-3.0-or-later
// Calls back on the loop when one of the given signals arrives (SIGINT, SIGTERM...): a handler
// that may do anything, unlike an async-signal handler.
#pragma once

#include "common/uv/handle.hpp"

#include <uv.h>

#include <functional>
#include <initializer_list>
#include <vector>

namespace lacme::uv {

class signal_watcher {
public:
    using callback = std::function<void(int signum)>;

    // Throws lacme::error. on_signal may call stop() but must not destroy the watcher.
    signal_watcher(uv_loop_t* loop, std::initializer_list<int> signums, callback on_signal);
    signal_watcher(const signal_watcher&) = delete;
    signal_watcher& operator=(const signal_watcher&) = delete;
    ~signal_watcher() = default;

    // Stops watching (the loop may then run dry); idempotent.
    void stop() noexcept;
    // Watches without keeping the loop alive: the loop runs dry when the work is done.
    void unref() noexcept;
    [[nodiscard]] bool watching() const noexcept { return !handles_.empty(); }

private:
    callback on_signal_;
    std::vector<handle_ptr<uv_signal_t>> handles_;
};

}  // namespace lacme::uv
