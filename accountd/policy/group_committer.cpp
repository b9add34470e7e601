// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/policy/group_committer.hpp"

namespace lacme::accountd {

group_committer::group_committer(std::size_t slots, std::function<void(std::size_t slot)> sync)
    : sync_(std::move(sync)), commits_(slots)
{}

void group_committer::throw_broken() const
{
    throw error("the audit log is unusable since: " + breakage_);
}

group_commit::sequence group_committer::append(const std::function<void()>& write)
{
    const std::lock_guard lock(mutex_);  // one whole record at a time, numbered in file order
    if (commits_.broken())
        throw_broken();
    try {
        write();
    } catch (const torn_write& e) {
        commits_.break_log();
        breakage_ = e.what();
        throw;
    }
    return commits_.written();
}

void group_committer::await(group_commit::sequence record)
{
    std::unique_lock lock(mutex_);
    for (;;) {
        switch (commits_.next_step(record)) {
        case group_commit::step::done: return;
        case group_commit::step::failed: throw_broken();
        case group_commit::step::wait: sync_ended_.wait(lock); break;
        case group_commit::step::sync: {
            const auto sync = commits_.start_sync();
            lock.unlock();
            std::string failure;
            try {
                sync_(sync.slot);
            } catch (const error& e) {
                failure = e.what();
            }
            lock.lock();
            if (!failure.empty() && breakage_.empty())
                breakage_ = failure;
            commits_.end_sync(sync, failure.empty());
            sync_ended_.notify_all();
            break;
        }
        }
    }
}

}  // namespace lacme::accountd
