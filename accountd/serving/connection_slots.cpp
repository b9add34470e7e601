// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/serving/connection_slots.hpp"

#include <utility>

namespace lacme::accountd {

void connection_slots::give_back()
{
    --taken_;
    const std::lock_guard lock(mutex_);
    if (wake_)
        std::exchange(wake_, {})();
}

void connection_slots::wake_on_next_give_back(std::function<void()> wake)
{
    const std::lock_guard lock(mutex_);
    wake_ = std::move(wake);
}

void connection_slots::cancel_wake()
{
    const std::lock_guard lock(mutex_);
    wake_ = {};
}

}  // namespace lacme::accountd
