// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/uv/poll_watcher.hpp"

#include "common/uv/error.hpp"

#include <utility>

namespace lacme::uv {

poll_watcher::poll_watcher(uv_loop_t* loop, int fd, callback on_ready)
    : on_ready_(std::move(on_ready)), handle_(make_handle<uv_poll_t>())
{
    check(uv_poll_init(loop, handle_.get(), fd), "uv_poll_init");
    handle_->data = this;
}

void poll_watcher::start(int events)
{
    check(uv_poll_start(handle_.get(), events,
                        [](uv_poll_t* h, int status, int ready) {
                            static_cast<poll_watcher*>(h->data)->on_ready_(status, ready);
                        }),
          "uv_poll_start");
}

void poll_watcher::stop() noexcept
{
    (void)uv_poll_stop(handle_.get());
}

}  // namespace lacme::uv
