// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/policy/group_commit.hpp"

#include <algorithm>
#include <stdexcept>

namespace lacme::accountd {

group_commit::group_commit(std::size_t slots) : slot_busy_(std::max<std::size_t>(slots, 1), false) {}

group_commit::step group_commit::next_step(sequence record) const noexcept
{
    if (record <= durable_)
        return step::done;
    if (broken_)
        return step::failed;
    if (record <= covered_ || in_flight_ == slot_busy_.size())
        return step::wait;
    return step::sync;
}

group_commit::sync group_commit::start_sync()
{
    const auto free = std::find(slot_busy_.begin(), slot_busy_.end(), false);
    if (free == slot_busy_.end())
        throw std::logic_error("group_commit: no free sync slot");
    *free = true;
    ++in_flight_;
    covered_ = written_;
    return {static_cast<std::size_t>(free - slot_busy_.begin()), written_};
}

void group_commit::end_sync(const sync& finished, bool ok)
{
    slot_busy_.at(finished.slot) = false;
    --in_flight_;
    if (!ok)
        broken_ = true;
    else if (!broken_)
        durable_ = std::max(durable_, finished.covers);
}

}  // namespace lacme::accountd
