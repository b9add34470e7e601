#include "common/log_throttle.hpp"

#include <algorithm>
#include <utility>

namespace lacme {

log_throttle::log_throttle(unsigned burst, clock::duration interval)
    : burst_(burst), interval_(interval), tokens_(burst)
{
}

std::optional<std::uint64_t> log_throttle::allow(clock::time_point now)
{
    const std::lock_guard lock(mutex_);
    if (tokens_ == burst_ || refilled_ == clock::time_point{}) {
        refilled_ = now;
    } else if (now > refilled_) {
        const auto earned = static_cast<std::uint64_t>((now - refilled_) / interval_);
        tokens_ = static_cast<unsigned>(std::min<std::uint64_t>(burst_, tokens_ + earned));
        refilled_ += interval_ * static_cast<clock::rep>(earned);
    }
    if (tokens_ == 0) {
        ++dropped_;
        return std::nullopt;
    }
    --tokens_;
    return std::exchange(dropped_, 0);
}

}  // namespace lacme
