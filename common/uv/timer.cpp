// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/uv/timer.hpp"

#include "common/uv/error.hpp"

#include <algorithm>
#include <cstdint>
#include <utility>

namespace lacme::uv {
namespace {

std::uint64_t to_uv_milliseconds(std::chrono::milliseconds ms) noexcept
{
    return static_cast<std::uint64_t>(std::max<std::chrono::milliseconds::rep>(ms.count(), 0));
}

}  // namespace

timer::timer(uv_loop_t* loop, callback on_expiry) : on_expiry_(std::move(on_expiry)), handle_(make_handle<uv_timer_t>())
{
    check(uv_timer_init(loop, handle_.get()), "uv_timer_init");
    handle_->data = this;
}

void timer::start(std::chrono::milliseconds delay, std::chrono::milliseconds repeat)
{
    check(uv_timer_start(
              handle_.get(), [](uv_timer_t* h) { static_cast<timer*>(h->data)->on_expiry_(); },
              to_uv_milliseconds(delay), to_uv_milliseconds(repeat)),
          "uv_timer_start");
}

void timer::stop() noexcept
{
    (void)uv_timer_stop(handle_.get());
}

bool timer::active() const noexcept
{
    return uv_is_active(as_handle(handle_.get())) != 0;
}

void timer::unref() noexcept
{
    uv_unref(as_handle(handle_.get()));
}

}  // namespace lacme::uv
