// SPDX-License-Identifier: GPL-3.0-or-later
// The threads' side of group_commit: writers number their records under one mutex, and a
// thread awaiting a record that no sync in flight covers runs the next sync itself when a slot
// is free (leader and followers), so the log needs no thread of its own. audit_log drives it
// with audit_file; the unit tests with a fake sync.
#pragma once

#include "accountd/policy/group_commit.hpp"
#include "common/error.hpp"

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>

namespace lacme::accountd {

// Thrown by a write that left the file in a state no later record can be trusted after (a
// record written in part): the log is broken from then on.
class torn_write : public error {
public:
    using error::error;
};

class group_committer {
public:
    // sync(slot) makes durable everything written before the call; it throws lacme::error.
    group_committer(std::size_t slots, std::function<void(std::size_t slot)> sync);

    // Thread-safe. Runs write (one whole record) under the lock and returns the record's
    // number. Throws what write throws, and lacme::error once the log is broken.
    group_commit::sequence append(const std::function<void()>& write);
    // Thread-safe, blocks until the record is durable. Throws lacme::error when it never will be.
    void await(group_commit::sequence record);

private:
    [[noreturn]] void throw_broken() const;

    std::function<void(std::size_t)> sync_;
    std::mutex mutex_;
    std::condition_variable sync_ended_;
    group_commit commits_;
    std::string breakage_;  // why commits_ broke
};

}  // namespace lacme::accountd
