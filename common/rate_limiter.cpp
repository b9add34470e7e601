// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/rate_limiter.hpp"

#include <utility>

namespace lacme {

std::optional<std::uint64_t> rate_limiter::admit(std::string_view kind, clock::time_point now)
{
    auto it = buckets_.find(kind);
    if (it == buckets_.end())
        it = buckets_.emplace(std::string(kind), bucket{burst_, now}).first;
    bucket& b = it->second;
    if (refill_ > clock::duration::zero() && now > b.refilled) {
        const auto earned = static_cast<std::uint64_t>((now - b.refilled) / refill_);
        if (b.tokens + earned >= burst_) {
            b.tokens = burst_;
            b.refilled = now;
        } else {
            b.tokens += static_cast<unsigned>(earned);
            b.refilled += refill_ * static_cast<long>(earned);
        }
    }
    if (b.tokens == 0) {
        ++b.held_back;
        return std::nullopt;
    }
    --b.tokens;
    return std::exchange(b.held_back, 0);
}

}  // namespace lacme
