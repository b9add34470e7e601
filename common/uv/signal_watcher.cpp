// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/uv/signal_watcher.hpp"

#include "common/uv/error.hpp"

#include <utility>

namespace lacme::uv {

signal_watcher::signal_watcher(uv_loop_t* loop, std::initializer_list<int> signums, callback on_signal)
    : on_signal_(std::move(on_signal))
{
    for (const int signum : signums) {
        auto handle = make_handle<uv_signal_t>();
        check(uv_signal_init(loop, handle.get()), "uv_signal_init");
        handle->data = this;
        check(uv_signal_start(
                  handle.get(),
                  [](uv_signal_t* h, int received) { static_cast<signal_watcher*>(h->data)->on_signal_(received); },
                  signum),
              "uv_signal_start");
        handles_.push_back(std::move(handle));
    }
}

void signal_watcher::stop() noexcept
{
    handles_.clear();
}

void signal_watcher::unref() noexcept
{
    for (const auto& handle : handles_)
        uv_unref(reinterpret_cast<uv_handle_t*>(handle.get()));
}

}  // namespace lacme::uv
