// SPDX-License-Identifier: GPL-3.0-or-later
// One newOrder run per configuration at a time: two overlapping runs (cron and a manual run)
// would install, journal and notify the same sections concurrently. The lock is a flock(2) on
// the configuration file itself, opened read-only: nothing to create or clean up, released by
// the kernel however the run ends, and not lost when the file is opened and closed again.
#pragma once

#include "common/log.hpp"
#include "common/unique_fd.hpp"

#include <sys/types.h>

#include <chrono>
#include <string>
#include <string_view>

namespace lacme::master {

class run_lock {
public:
    // Waits up to `patience` while another run holds the lock (saying so once), then throws
    // lacme::error "another lacme run (pid N) holds CONFIG".
    run_lock(const std::string& config_file, std::chrono::milliseconds patience, logger& log);

private:
    unique_fd fd_;
};

// The pid holding a flock on the file (device, inode) according to /proc/locks' text, 0 when
// none is listed. Exposed for tests.
pid_t flock_holder(std::string_view proc_locks, dev_t device, ino_t inode);

}  // namespace lacme::master
