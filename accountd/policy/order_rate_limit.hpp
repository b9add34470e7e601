// SPDX-License-Identifier: GPL-3.0-or-later
// The newOrder rate limit of one signing policy (max-orders-per-hour), shared by every
// accountd process that serves it: per-SSH-session --stdio processes included. The times of
// the orders of the last hour live in STATE-DIRECTORY/LABEL.orders, replaced atomically (a
// killed process leaves the old or the new list, never half of one), read and replaced under
// an flock on STATE-DIRECTORY/LABEL.lock.
#pragma once

#include <chrono>
#include <string>

namespace lacme::accountd {

// A policy's state-directory must exist before the first order, or every order is refused:
// throws lacme::error "ORIGIN: state-directory DIR: REASON" when it is not a directory.
void require_state_directory(const std::string& directory, const std::string& origin);

class order_rate_limit {
public:
    // The lock is held for one small read and one small write; held longer than lock_timeout
    // it belongs to a stuck process.
    order_rate_limit(const std::string& state_directory, const std::string& label, unsigned max_per_hour,
                     std::chrono::milliseconds lock_timeout = std::chrono::seconds(5));

    // Counts one newOrder at `now` if fewer than max_per_hour were counted in the hour before;
    // false (nothing counted) otherwise. Throws lacme::error when the state cannot be read or
    // written, or the lock is not free within lock_timeout: the caller refuses then.
    bool admit(std::chrono::system_clock::time_point now);

private:
    std::string lock_path_;
    std::string state_path_;
    unsigned max_per_hour_;
    std::chrono::milliseconds lock_timeout_;
};

}  // namespace lacme::accountd
